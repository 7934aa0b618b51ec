// What a terminal `docker build` may ask for: the learner's choices read from the build's query into a
// model (tags, build arguments, target, labels, cache), every one checked. The rest of the build's
// settings (network none, limits, cgroup, Dockerfile) are the lab's, set by the build pipeline.
import type { BuildOptions } from '../sandbox/engine';
import { IMAGE_NAME, typedRef } from './ownership';
import { boolParam } from './query-model';
import type { Refusal } from './refusal';

/** A terminal build as the learner asked for it. */
export interface BuildModel {
  /** Names for the image, in the learner's namespace once the proxy adds it (`my-api:1.4.0`). */
  tags: string[];
  /** The `dockerfile` parameter as sent (checked with the context, where it names a file). */
  dockerfile: string | null;
  options: BuildOptions;
}

const refuse = (message: string, status = 403): { refusal: Refusal } => ({ refusal: { status, message } });
const LAB_LABEL = /^lab\./i;
const ARG_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
/**
 * The engine's predefined proxy arguments reach every RUN step's environment but are left out of the
 * cache key: one learner's value would be baked into another learner's cached step.
 */
const PROXY_ARGS = /^(https?_proxy|ftp_proxy|no_proxy|all_proxy)$/i;
const STAGE_NAME = /^[a-zA-Z][a-zA-Z0-9_.-]{0,63}$/;

function jsonMap(raw: string | null, what: string): Record<string, unknown> | { refusal: Refusal } {
  if (!raw) return {};
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (parsed === null) return {};
    if (typeof parsed !== 'object' || Array.isArray(parsed))
      return refuse(`the build's ${what} must be a JSON object`, 400);
    if (Object.keys(parsed).length > 64) return refuse(`at most 64 ${what} per build`, 400);
    return parsed as Record<string, unknown>;
  } catch {
    return refuse(`the build's ${what} are not valid JSON`, 400);
  }
}

/** The build's model from its query, or why the build is refused. */
export function buildModel(query: URLSearchParams): BuildModel | { refusal: Refusal } {
  if (query.get('version') === '2')
    return refuse('BuildKit is not available in the lab: build with the classic builder (DOCKER_BUILDKIT=0)');
  if (query.get('remote')) return refuse('building from a URL is not available in the lab: the lab has no network');
  const network = query.get('networkmode') ?? '';
  if (!['', 'default', 'none'].includes(network))
    return refuse(
      `docker build --network ${network.slice(0, 40)} is not allowed in the lab: builds run with network none`,
    );
  if (query.get('extrahosts')) return refuse('docker build --add-host is not allowed in the lab');
  const cacheFrom = query.get('cachefrom');
  if (cacheFrom && cacheFrom !== '[]' && cacheFrom !== 'null')
    return refuse('docker build --cache-from is not available in the lab');
  if (boolParam(query.get('squash'))) return refuse('docker build --squash is not available in the lab');
  const platform = query.get('platform') ?? '';
  if (!['', 'linux', 'linux/amd64'].includes(platform))
    return refuse(`docker build --platform ${platform.slice(0, 40)} is not available in the lab`);
  const isolation = query.get('isolation') ?? '';
  if (!['', 'default'].includes(isolation)) return refuse('docker build --isolation is not available in the lab');

  const tags = query.getAll('t').map(typedRef);
  if (tags.length > 8) return refuse('at most 8 names (-t) per build', 400);
  for (const tag of tags) {
    if (!IMAGE_NAME.test(tag))
      return refuse(
        `invalid reference format: ${tag.slice(0, 80)} (the lab has no registry: name images like my-api:1.4.0)`,
        400,
      );
  }
  const args = jsonMap(query.get('buildargs'), 'build arguments');
  if ('refusal' in args) return args as { refusal: Refusal };
  const buildArgs: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(args)) {
    if (!ARG_NAME.test(name)) return refuse(`--build-arg ${name.slice(0, 40)}: not a valid argument name`, 400);
    if (PROXY_ARGS.test(name))
      return refuse(
        `--build-arg ${name} is not available in the lab: builds have no network, and the engine keeps proxy arguments out of its cache key`,
      );
    if (value !== null && typeof value !== 'string') return refuse(`--build-arg ${name}: the value must be text`, 400);
    if (typeof value === 'string' && value.length > 4096)
      return refuse(`--build-arg ${name}: the value is longer than 4096 characters`, 400);
    buildArgs[name] = value;
  }
  const labelMap = jsonMap(query.get('labels'), 'labels');
  if ('refusal' in labelMap) return labelMap as { refusal: Refusal };
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(labelMap)) {
    if (LAB_LABEL.test(key))
      return refuse(`--label ${key.slice(0, 40)}: labels starting with "lab." are the lab's own`);
    if (typeof value !== 'string' || key.length > 256 || value.length > 4096)
      return refuse(`--label ${key.slice(0, 40)}: not a valid label`, 400);
    labels[key] = value;
  }
  const target = query.get('target') ?? '';
  if (target && !STAGE_NAME.test(target)) return refuse(`--target ${target.slice(0, 40)}: not a stage name`, 400);
  return {
    tags,
    dockerfile: query.get('dockerfile'),
    options: {
      buildArgs,
      labels,
      ...(target ? { target } : {}),
      noCache: boolParam(query.get('nocache')),
      quiet: boolParam(query.get('q')),
    },
  };
}
