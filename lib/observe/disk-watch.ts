// Keeps a running container within its disk limits: its writable layer is measured every few seconds
// and the container is killed once past the limit (bytes or files). What was measured is the event
// the timeline shows, so the learner sees why their container died with 137.
import type { DiskLimits } from '../sandbox/disk-usage';
import { DiskWatch } from '../sandbox/disk-watch';
import type { Engine } from '../sandbox/engine';
import type { EventOf } from './timeline-event';

export { DISK_CHECK_MS, DiskWatch } from '../sandbox/disk-watch';

/** The timeline event for a container stopped at its disk limit. */
export type DiskLimitEvent = Omit<EventOf<'disk-limit'>, 'seq' | 't' | 'scenario'>;

/** A learner container's watch: past a limit it is killed, and `onKilled` hears of it just before. */
export function containerDiskWatch(
  engine: Engine,
  containerId: string,
  limits: DiskLimits,
  onKilled: (event: DiskLimitEvent) => void,
): DiskWatch {
  return new DiskWatch(
    () => engine.diskUsage(containerId, limits),
    limits,
    async (overage) => {
      // A container that is not running (between restarts, or gone) has nothing to kill: no event either.
      const state = await engine.inspect(containerId).catch(() => null);
      if (!state?.running) return;
      // The event goes first, so that the timeline reads: the limit, then the exit it causes.
      onKilled({ type: 'disk-limit', ...overage });
      await engine.kill(containerId, 'SIGKILL').catch(() => undefined);
    },
  );
}
