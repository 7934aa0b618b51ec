// The terminal endpoint of the lab: shells in learners' workstations, with the exercise's files
// copied in when a terminal opens. server.ts hands it the upgrade requests on /api/terminal.
import { TerminalGateway } from '../terminal/terminal-gateway';
import { TerminalSessions } from '../terminal/terminal-sessions';
import { learnerExerciseFiles } from './exercise-files';
import type { WorkstationManager } from './workstation-manager';

/** A gateway whose shells run in the manager's workstations. */
export function workstationTerminals(manager: WorkstationManager): TerminalGateway {
  const sessions = new TerminalSessions((owner, size) => manager.openShell(owner, size));
  // A removed workstation takes its shells with it; their pages are told why.
  manager.onStopped((owner, reason) => sessions.endFor(owner, reason));
  return new TerminalGateway({
    sessions,
    touch: (owner) => manager.touch(owner),
    syncFiles: async (owner, exerciseId) => {
      const files = await learnerExerciseFiles(owner, exerciseId);
      if (files) await manager.putFiles(owner, files);
    },
  });
}
