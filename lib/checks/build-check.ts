// The synthetic first check of every exercise: the image builds, or the lab refused the files before
// building.
import type { EventOf, TimelineEvent } from '../observe/timeline-event';
import type { CheckResult } from './check-result';
import { evidenceOf } from './scenario-record';

/** A synthetic first check: the image builds (or the lab refused the files before building). */
export function buildCheck(events: TimelineEvent[]): CheckResult {
  const rejected = events.filter((event): event is EventOf<'rejected'> => event.type === 'rejected');
  const end = events.find((event): event is EventOf<'build-end'> => event.type === 'build-end');
  const base = {
    id: 'image-builds',
    title: 'The image builds',
    bonus: false,
    expected: 'the lab accepts the files and the image builds',
  };
  if (rejected.length) {
    const observed = rejected.map((r) => `${r.file}${r.line ? `:${r.line}` : ''}: ${r.message}`).join('; ');
    return {
      ...base,
      status: 'fail',
      observed,
      message: `refused before building: ${observed}`,
      evidence: evidenceOf(rejected[0]),
      hint: 'Fix the line named above and run again.',
    };
  }
  if (!end)
    return { ...base, status: 'error', observed: 'the build did not finish', message: 'the build did not finish' };
  if (end.ok) {
    const built = end.reused ? 'built before from the same files, used again' : `built in ${end.durationMs} ms`;
    return { ...base, status: 'pass', observed: built, message: built, evidence: evidenceOf(end) };
  }
  const log = events
    .filter((event): event is EventOf<'build-output'> => event.type === 'build-output')
    .slice(-30)
    .map((event) => event.text);
  const where = end.line ? `${end.file ?? 'Dockerfile'}:${end.line}: ` : '';
  return {
    ...base,
    status: 'fail',
    observed: `${where}${end.error}`,
    message: `the build failed: ${where}${end.error}`,
    evidence: { ...evidenceOf(end)!, buildLog: log },
    hint: 'Read the build output: the failing step and its error are at the end.',
  };
}
