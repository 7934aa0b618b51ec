// What an attempt's record keeps of its run beyond the verdict: how long it took, how the container
// ended each time, and the timeline itself (bounded), so that an instructor can replay it later.
import type { TimelineEvent } from '../observe/timeline-event';

/** Most events kept with an attempt; past it, output lines go first, then the rest is cut. */
const KEPT_EVENTS = 4_000;

/** The run's events as kept with its attempt record. */
export function boundedTimeline(events: TimelineEvent[]): TimelineEvent[] {
  if (events.length <= KEPT_EVENTS) return events;
  const withoutOutput = events.filter((event) => event.type !== 'output' && event.type !== 'build-output');
  return withoutOutput.length <= KEPT_EVENTS ? withoutOutput : withoutOutput.slice(0, KEPT_EVENTS);
}

/** The summary stored with a finished attempt. */
export function attemptSummary(run: { durationMs: number; events: TimelineEvent[] }): Record<string, unknown> {
  const { events } = run;
  return {
    durationMs: run.durationMs,
    events: events.length,
    exits: events.flatMap((event) =>
      event.type === 'container-die'
        ? [{ scenario: event.scenario, code: event.exitCode, oomKilled: event.oomKilled }]
        : [],
    ),
    restarts: events.filter((event) => event.type === 'container-restart').length,
    timeline: boundedTimeline(events),
  };
}
