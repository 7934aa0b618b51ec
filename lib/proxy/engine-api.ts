// The API versions the engine speaks, asked once per engine, and what the proxy tells a docker CLI
// about the engine: the API version and the builder (what the CLI needs to talk), nothing of the host
// (no kernel, Go, containerd or runc versions, no `Server: Docker/20.10.24` header).
import type Docker from 'dockerode';
import type http from 'node:http';
import { withEngineDeadline } from '../sandbox/engine-deadline';

/** The oldest API the proxy accepts: older versions let a start request carry a HostConfig. */
const OLDEST_ACCEPTED = '1.24';

/** The engine's API as the proxy presents it. */
export interface EngineApi {
  /** The engine's API version (`1.41`), used for every request the proxy builds without a version of its own. */
  version: string;
  minVersion: string;
  /** The version to speak for a request prefixed with `prefix` (`/v1.40`, or '' for none); null when not accepted. */
  versionFor(prefix: string): string | null;
  pingHeaders: http.OutgoingHttpHeaders;
  versionBody: Record<string, unknown>;
}

const numeric = (version: string) => {
  const [major, minor] = version.split('.').map(Number);
  return major * 1000 + minor;
};

const known = new WeakMap<Docker, Promise<EngineApi>>();

/** The engine's API, asked once for each engine client. */
export function engineApi(docker: Docker): Promise<EngineApi> {
  let api = known.get(docker);
  if (!api) {
    api = withEngineDeadline('asking the engine for its version', () => docker.version()).then((info) =>
      describe(info.ApiVersion, (info as { MinAPIVersion?: string }).MinAPIVersion ?? OLDEST_ACCEPTED),
    );
    api.catch(() => known.delete(docker));
    known.set(docker, api);
  }
  return api;
}

export function describe(version: string, engineMin: string): EngineApi {
  const minVersion = numeric(engineMin) > numeric(OLDEST_ACCEPTED) ? engineMin : OLDEST_ACCEPTED;
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  return {
    version,
    minVersion,
    versionFor(prefix) {
      if (!prefix) return version;
      const asked = prefix.replace(/^\/v/, '');
      if (!/^\d+\.\d+$/.test(asked)) return null;
      if (numeric(asked) < numeric(minVersion)) return null;
      // A newer CLI is spoken to in the engine's own version, as the engine itself would answer it.
      return numeric(asked) > numeric(version) ? version : asked;
    },
    pingHeaders: {
      'api-version': version,
      'builder-version': '1',
      'docker-experimental': 'false',
      ostype: 'linux',
      'cache-control': 'no-cache, no-store, must-revalidate',
      pragma: 'no-cache',
    },
    versionBody: {
      Platform: { Name: 'Docker lifecycle lab' },
      Components: [
        {
          Name: 'Engine',
          Version: 'lab',
          Details: { ApiVersion: version, MinAPIVersion: minVersion, Os: 'linux', Arch: arch },
        },
      ],
      Version: 'lab',
      ApiVersion: version,
      MinAPIVersion: minVersion,
      Os: 'linux',
      Arch: arch,
      Experimental: false,
    },
  };
}
