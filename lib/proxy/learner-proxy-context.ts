// The ProxyContext of one learner's proxy: their quotas and slots, the lab images (kept a minute), their
// parent cgroup (asked for on their first container) and the count of their open streams.
import type Docker from 'dockerode';
import { config } from '../config';
import { standaloneRunSlots } from '../capacity/run-capacity';
import { log } from '../log';
import { buildCgroupsSupported, engineCgroupDriver } from '../sandbox/build-cgroup';
import { learnerBaseTags } from '../sandbox/docker-engine';
import { withEngineDeadline } from '../sandbox/engine-deadline';
import { ensureLearnerCgroup, learnerCgroupExists, learnerCgroupParent } from '../sandbox/learner-cgroup';
import { learnerLimits, terminalQuotas, type ProxyLimits } from '../sandbox/limits';
import type { DockerProxyOptions } from './docker-proxy';
import type { EngineClient } from './engine-client';
import { sendRefusal } from './proxy-answers';
import { SerialQueue, type ProxyContext } from './proxy-context';
import type { Scope } from './scope';

/** What every route of one learner's proxy shares, with the state the proxy keeps for them from its start. */
export function learnerProxyContext(
  options: DockerProxyOptions,
  docker: Docker,
  engine: EngineClient,
  scope: Scope,
  limits: ProxyLimits,
): ProxyContext {
  const sums = options.learnerLimits ?? learnerLimits();
  // The sum of the learner's containers is bounded by a parent cgroup where the lab can make one (the
  // engine on this host). Asked on the first container, not at start: a workstation's start does not wait.
  let aggregate: Promise<boolean> | undefined;
  const learnerCgroupsHere = async () => {
    const here =
      !config().LAB_BUILD_CGROUP_PARENT &&
      buildCgroupsSupported() &&
      (await withEngineDeadline('asking the engine for its cgroup driver', () => engineCgroupDriver(docker)).catch(
        () => '',
      )) === 'cgroupfs';
    if (!here)
      log.warn('No cgroup per learner on this engine: each terminal container keeps its own limits only', {
        owner: options.owner,
      });
    return here;
  };
  const labImageCache = { at: 0, tags: [] as string[] };
  let openStreams = 0;
  const ctx: ProxyContext = {
    docker,
    engine,
    scope,
    quotas: options.quotas ?? terminalQuotas(),
    slots: options.slots ?? standaloneRunSlots(),
    async labImages() {
      // Lab images change only when the setup rebuilds them.
      if (Date.now() - labImageCache.at < 60_000) return labImageCache.tags;
      labImageCache.tags = learnerBaseTags(
        await withEngineDeadline('listing the lab images', () =>
          docker.listImages({ filters: { reference: ['lab/*'] } }),
        ),
      );
      labImageCache.at = Date.now();
      return labImageCache.tags;
    },
    async learnerParent() {
      aggregate ??= learnerCgroupsHere();
      if (!(await aggregate)) return null;
      try {
        return ensureLearnerCgroup(scope.key, sums);
      } catch (error) {
        // A limit lowered below what the learner's containers use now is refused by the kernel: the cgroup stays as it was.
        log.warn('Failed to set the learner cgroup limits', {
          owner: scope.owner,
          error: error instanceof Error ? error.message : String(error),
        });
        return learnerCgroupExists(scope.key) ? learnerCgroupParent(scope.key) : null;
      }
    },
    execs: new Set(),
    creations: new SerialQueue(),
    holdStream(socket, res) {
      if (socket.destroyed) return null;
      if (openStreams >= limits.streams) {
        if (res)
          sendRefusal(res, {
            status: 429,
            message: `too many open streams: at most ${limits.streams} at a time per learner (docker logs -f, events, attach, exec, wait); end one and try again`,
          });
        return null;
      }
      openStreams += 1;
      let held = true;
      const release = () => {
        if (!held) return;
        held = false;
        openStreams -= 1;
      };
      socket.once('close', release);
      res?.once('close', release);
      return release;
    },
    streamLifetimeMs: limits.streamLifetimeMs,
  };
  return ctx;
}
