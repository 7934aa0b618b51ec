// A Docker engine for the lab: the one DOCKER_HOST or the default socket names, or one started here.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { engineAddress, ping } from './docker-api.mjs';
import { SetupError, canInstallDebianPackages, hasCommand, log, run, waitFor } from './setup-common.mjs';

/**
 * How the lab starts an engine of its own. `--userns-remap=default`: root in a container is an
 * unprivileged user on the host (dockerd makes the user `dockremap` and its subordinate ids), so a
 * hole in the Docker API proxy still could not read or write the host's files as root. Images of a
 * remapped engine live apart (/var/lib/docker/<uid>.<gid>/): the setup builds them once more.
 */
export const DOCKERD_ARGS = ['--userns-remap=default'];

/** A Docker engine: the one DOCKER_HOST or the default socket names, or Debian's docker.io started here. */
export async function ensureDockerEngine() {
  const address = engineAddress();
  if (await ping()) return;
  if (process.env.DOCKER_HOST) {
    // The lab's own image sets DOCKER_HOST to the socket of the host's engine, mounted.
    throw new SetupError(
      `no Docker engine answers at DOCKER_HOST=${address.label}. Start that engine, or unset DOCKER_HOST to use a local one ` +
        "(in the lab's image: mount the host's socket, -v /var/run/docker.sock:/var/run/docker.sock, as compose.yaml does).",
    );
  }
  if (!canInstallDebianPackages()) {
    throw new SetupError(
      'no Docker engine answers at /var/run/docker.sock. Install Docker Engine (https://docs.docker.com/engine/install/) ' +
        'and start it, or point DOCKER_HOST at a running engine, then run this command again.',
    );
  }
  if (!hasCommand('dockerd')) {
    log("installing Debian's docker.io (the Docker engine)");
    run('apt-get', ['update', '-q']);
    run('apt-get', ['install', '-y', '-q', 'docker.io'], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  }
  if (await ping()) return; // the package's service may have started it
  log('starting dockerd in the background, with user namespaces remapped (log: /var/log/lab-dockerd.log)');
  const out = fs.openSync('/var/log/lab-dockerd.log', 'a');
  const daemon = spawn('dockerd', DOCKERD_ARGS, { detached: true, stdio: ['ignore', out, out] });
  daemon.unref();
  if (!(await waitFor(ping, 60_000))) {
    throw new SetupError('dockerd was started but did not answer within 60 s; see /var/log/lab-dockerd.log');
  }
  log('Docker engine is up');
}
