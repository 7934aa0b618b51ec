// Which Docker API calls a learner's docker CLI may make, as a pure classification of the method and
// path: the routes the proxy serves, "not found" for kinds of object the lab does not have (so that
// `docker inspect NAME` says "No such object"), and a refusal with a message for everything else.

/** The docker commands the terminal offers, for messages. */
export const ALLOWED_COMMANDS =
  'run, create, start, stop, kill, restart, rm, ps, inspect, logs, top, exec, wait, update, build, images, rmi, tag, events, diff, port';

/** An API call, classified. `ref` is the container, image or exec named in the path. */
export type Route =
  | {
      kind:
        | 'ping'
        | 'version'
        | 'info'
        | 'container-list'
        | 'container-create'
        | 'image-list'
        | 'build'
        | 'events'
        | 'pull';
    }
  | { kind: 'container'; ref: string; action: string; method: string }
  | { kind: 'exec'; ref: string; action: string }
  | { kind: 'image'; ref: string; action: string; method: string }
  | { kind: 'refused'; message: string }
  | { kind: 'not-found'; message: string };

/** Container actions by method and path suffix ('' is the container itself: DELETE = docker rm). */
const CONTAINER_ACTIONS: Record<string, string[]> = {
  GET: ['json', 'logs', 'top', 'changes', 'stats'],
  POST: ['start', 'stop', 'kill', 'restart', 'wait', 'resize', 'attach', 'exec', 'update'],
  DELETE: [''],
  HEAD: [],
};

/** What the lab refuses, by path, with the command a learner would have typed. */
const REFUSED_BY_PATH: [RegExp, string][] = [
  [/^\/(volumes)/, 'volumes are not available in the lab: containers keep their files in their own filesystem'],
  [/^\/(networks)/, 'networks are not available in the lab: every container runs with network none'],
  [/^\/(swarm|nodes|services|tasks|secrets|configs|plugins)/, 'swarm and plugins are not available in the lab'],
  [/^\/system/, '`docker system` is not available in the lab'],
  [/^\/containers\/prune/, '`docker container prune` is not available in the lab: remove containers with docker rm'],
  [/^\/images\/prune/, '`docker image prune` is not available in the lab: remove images with docker rmi'],
  [
    /^\/(commit|images\/load|images\/get|images\/search|auth|session|grpc|distribution)/,
    'this part of the Docker API is not available in the lab',
  ],
];

/** Splits `/v1.41/containers/x/json` into the API version prefix and the path after it. */
export function splitVersion(pathname: string): { prefix: string; path: string } {
  const match = /^(\/v\d+\.\d+)(\/.*)$/.exec(pathname);
  return match ? { prefix: match[1], path: match[2] } : { prefix: '', path: pathname };
}

/** Classifies a request; paths are without the version prefix. */
export function routeOf(method: string, path: string): Route {
  const m = method.toUpperCase();
  if (path === '/_ping') return { kind: 'ping' };
  if (path === '/version' && m === 'GET') return { kind: 'version' };
  if (path === '/info' && m === 'GET') return { kind: 'info' };
  if (path === '/containers/json' && m === 'GET') return { kind: 'container-list' };
  if (path === '/containers/create' && m === 'POST') return { kind: 'container-create' };
  if (path === '/images/json' && m === 'GET') return { kind: 'image-list' };
  if (path === '/build' && m === 'POST') return { kind: 'build' };
  if (path === '/events' && m === 'GET') return { kind: 'events' };
  if (path === '/images/create' && m === 'POST') return { kind: 'pull' };
  // `docker inspect NAME` looks NAME up as a container, an image, then other kinds of object: those
  // kinds do not exist in the lab, so the answer is "not found" and the CLI says "No such object".
  const other = /^\/(networks|volumes|plugins|nodes|services|tasks|secrets|configs)\/([^/]+)(\/json)?$/.exec(path);
  if (other && m === 'GET')
    return { kind: 'not-found', message: `No such ${other[1].replace(/s$/, '')}: ${decodeURIComponent(other[2])}` };
  for (const [pattern, message] of REFUSED_BY_PATH) if (pattern.test(path)) return { kind: 'refused', message };
  const exec = /^\/exec\/([^/]+)\/(start|resize|json)$/.exec(path);
  if (exec) return { kind: 'exec', ref: decodeURIComponent(exec[1]), action: exec[2] };
  const container = /^\/containers\/([^/]+)(?:\/([a-z]+))?$/.exec(path);
  if (container) {
    const action = container[2] ?? '';
    if (CONTAINER_ACTIONS[m]?.includes(action))
      return { kind: 'container', ref: decodeURIComponent(container[1]), action, method: m };
    return {
      kind: 'refused',
      message: `\`${m} /containers/…/${action}\` is not available in the lab: the terminal offers docker ${ALLOWED_COMMANDS}`,
    };
  }
  // Image names contain slashes and are not escaped by the CLI: the action is the last segment.
  const image = /^\/images\/(.+?)(?:\/(json|history|tag))?$/.exec(path);
  if (image) {
    const action = image[2] ?? '';
    const allowed =
      (m === 'GET' && (action === 'json' || action === 'history')) ||
      (m === 'POST' && action === 'tag') ||
      (m === 'DELETE' && action === '');
    if (allowed) return { kind: 'image', ref: decodeURIComponent(image[1]), action, method: m };
  }
  return {
    kind: 'refused',
    message: `\`${m} ${path}\` is not available in the lab: the terminal offers docker ${ALLOWED_COMMANDS}`,
  };
}
