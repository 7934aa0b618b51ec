// Small derivations the run panels share: which event a moment falls on, each scenario's verdict from
// the checks, the evidence a failed run opens with, and the build's one-line summary.
import type { CheckResult } from '@/lib/checks/check-result';
import { formatSeconds, waitSeconds } from '@/lib/observe/run-view';
import type { TimelineEvent } from '@/lib/observe/timeline-event';

/** A moment of the run the panels show: a run time, and the event it falls on. */
export interface Moment {
  t: number;
  seq: number;
}

/** The latest event (by seq) that happened at or before run time t: the state of the run at t. */
export function momentAt(events: TimelineEvent[], t: number): Moment {
  let seq = -1;
  for (const event of events) if (event.t <= t && event.seq > seq) seq = event.seq;
  return { t, seq: seq < 0 ? (events[0]?.seq ?? 0) : seq };
}

/** ✓ when every required check of the scenario passed, ✕ when one failed, nothing without checks or when one was not judged. */
export function scenarioVerdict(checks: CheckResult[] | undefined, scenario: string): 'pass' | 'fail' | undefined {
  const mine = (checks ?? []).filter((check) => check.scenario === scenario && !check.bonus);
  // Not judged (the lab could not observe it): neither passed nor failed.
  if (mine.length === 0 || mine.some((check) => check.status === 'error')) return undefined;
  return mine.every((check) => check.status === 'pass') ? 'pass' : 'fail';
}

/** The evidence of the first required check that failed: where a failed run opens. */
export function firstFailure(
  checks: CheckResult[] | undefined,
  events: TimelineEvent[],
): (Moment & { scenario?: string }) | undefined {
  const failed = (checks ?? []).find((check) => !check.bonus && check.status !== 'pass' && check.evidence);
  if (!failed?.evidence) return undefined;
  const event = events.find((e) => e.seq === failed.evidence!.seq);
  return { t: failed.evidence.t, seq: failed.evidence.seq, scenario: event?.scenario ?? failed.scenario };
}

/** The build in one line: queued, building, built in n s, or failed. */
export function buildSummary(events: TimelineEvent[]): string | undefined {
  let text: string | undefined;
  for (const event of events) {
    if (event.type === 'queued')
      text = `Waiting for a free slot (position ${event.position}${event.estimateMs === undefined ? '' : `, about ${waitSeconds(event.estimateMs)} s`})`;
    else if (event.type === 'build-start') text = 'Building the image…';
    else if (event.type === 'build-end')
      text = event.reused
        ? 'Files unchanged: the image built from them is used again'
        : event.ok
          ? `Image built in ${formatSeconds(event.durationMs)}`
          : 'The image did not build: see the checks';
    else if (event.type === 'rejected') text = 'The lab refused the Dockerfile: see the checks';
  }
  return text;
}
