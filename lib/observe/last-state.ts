// The last state of a scenario's container, for the process tree once it has exited: its processes as
// last seen with PID 1, and how each of them ended.
import type { Ending, ScenarioLanes } from './lane-model';
import type { ProcessInfo, TimelineEvent } from './timeline-event';

/** How each process of the scenario's latest incarnation ended (as of the events given), by PID. */
export function latestEndings(lanes: ScenarioLanes): Map<number, Ending> {
  const band = lanes.bands.length - 1;
  const endings = new Map<number, Ending>();
  for (const row of lanes.rows) {
    const segment = row.segments.findLast((s) => s.band === band);
    if (segment?.ending) endings.set(row.pid, segment.ending);
  }
  return endings;
}

/** The last sample of `scenario` that held PID 1, up to event `seq`: the tree as it was before it died. */
export function lastProcesses(events: TimelineEvent[], scenario: string | undefined, seq: number): ProcessInfo[] {
  let last: ProcessInfo[] = [];
  for (const event of events) {
    if (event.seq > seq) continue;
    if (event.scenario === scenario && event.type === 'snapshot' && event.processes.some((p) => p.pid === 1))
      last = event.processes;
  }
  return last;
}
