// What someone does to a healthy incident container: `docker kill` or `docker stop -t N`, a moment
// after it says it is up. The lab plays that part: it follows the container's output and acts once a
// line shows the server ready, so the action lands on a running server however slow the start.
import type { Engine, Stoppable } from '../sandbox/engine';
import type { IncidentPlan } from './incident-plan';

/**
 * Follows the container's output and acts as the plan says; resolves with what ends the following (and
 * a pending action), or null when the plan has no one act. A failed action is reported, never thrown:
 * the observation then shows what did not happen.
 */
export async function operatorAction(
  engine: Engine,
  containerId: string,
  plan: Pick<IncidentPlan, 'killAfter' | 'stopAfter'>,
  onFailure: (what: string, error: unknown) => void,
): Promise<Stoppable | null> {
  const { killAfter, stopAfter } = plan;
  const trigger = killAfter ?? stopAfter;
  if (!trigger) return null;
  const act = killAfter
    ? () => engine.kill(containerId, 'SIGKILL').catch((error) => onFailure('kill', error))
    : // docker stop waits for the container's end, up to its grace period and the SIGKILL after it.
      () => engine.stop(containerId, stopAfter!.timeoutSec).catch((error) => onFailure('stop', error));
  let timer: NodeJS.Timeout | undefined;
  const output = await engine.logs(containerId, 0, (line) => {
    if (timer || !line.text.includes(trigger.output)) return;
    timer = setTimeout(() => void act(), trigger.delayMs);
  });
  return {
    stop() {
      clearTimeout(timer);
      output.stop();
    },
  };
}
