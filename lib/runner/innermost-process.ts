// Which process a signal step means when several match: the real program, not a wrapper of the same name.
import { matchesProcess, type ProcessMatcher } from '../observe/program';
import type { ProcessInfo } from '../observe/timeline-event';

/**
 * The process a signal step means: of those that match, one with no matching process below it, so
 * that a wrapper of the same name in front of the real program is not the one killed.
 */
export function innermostProcess(processes: ProcessInfo[], matcher: ProcessMatcher): ProcessInfo | undefined {
  const matching = processes.filter((p) => p.state !== 'Z' && matchesProcess(p, matcher));
  const below = (ancestor: ProcessInfo, p: ProcessInfo): boolean => {
    for (
      let parent = processes.find((q) => q.pid === p.ppid);
      parent;
      parent = processes.find((q) => q.pid === parent!.ppid)
    ) {
      if (parent.pid === ancestor.pid) return true;
      if (parent.pid === parent.ppid) return false;
    }
    return false;
  };
  return (
    matching.find((candidate) => !matching.some((other) => other !== candidate && below(candidate, other))) ??
    matching[0]
  );
}
