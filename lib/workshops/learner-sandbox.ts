// A learner's sandbox, everything the lab runs in their name: their runs in progress, their
// workstation (the terminal's container and its Docker API proxy), the containers and images they made
// from the terminal, and their staged incident. Stopped when their workshop ends or the instructor
// resets it; their records (drafts, attempts, incidents) stay.
import { log } from '../log';
import { removeTerminalResources } from '../proxy/terminal-resources';
import { services } from '../services';

/** Stops and removes everything running in the learner's name; throws when the engine failed at some of it. */
export async function stopLearnerSandbox(learnerId: string, reason: string): Promise<void> {
  log.info('Stopping learner sandbox', { learner: learnerId, reason });
  const steps: [string, () => Promise<unknown>][] = [
    ['runs', () => services().runHub.stopFor(learnerId)],
    ['workstation', () => services().workstations.stop(learnerId, reason)],
    ['incident', () => services().incidents.removeFor(learnerId)],
    // What the workstation's end removes too, and what is left when no workstation runs (an incident
    // staged by an earlier server process, a container of a workstation that just timed out).
    ['terminal containers', () => removeTerminalResources(learnerId)],
  ];
  const failed: string[] = [];
  for (const [what, step] of steps) {
    try {
      await step();
    } catch (error) {
      failed.push(what);
      log.error('Failed to stop part of a learner sandbox', { learner: learnerId, part: what, error: String(error) });
    }
  }
  if (failed.length) throw new Error(`could not stop the ${failed.join(', ')} of learner ${learnerId}`);
  log.info('Stopped learner sandbox', { learner: learnerId });
}
