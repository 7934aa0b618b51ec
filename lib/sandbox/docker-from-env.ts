// Where the Docker engine is: DOCKER_HOST (unix:// or tcp://) or the default socket.
import Docker from 'dockerode';
import { config } from '../config';

/** A dockerode client for DOCKER_HOST or the default socket. */
export function dockerFromEnv(): Docker {
  const host = config().DOCKER_HOST;
  if (!host) return new Docker({ socketPath: '/var/run/docker.sock' });
  if (host.startsWith('unix://')) return new Docker({ socketPath: host.slice('unix://'.length) });
  const url = new URL(host.replace(/^tcp:/, 'http:'));
  return new Docker({ host: url.hostname, port: Number(url.port || 2375) });
}
