// Geometry of the process lanes, kept apart from React: the visible time window, axis ticks, the
// moments the arrow keys step between, and rows for annotation flags so close ones do not cover each other.
import type { Annotation, ScenarioLanes } from '@/lib/observe/lanes';

/** The time window the chart draws, in run ms. */
export interface Domain {
  from: number;
  to: number;
}

/** The scenario's window, with a little room after its end so the last badge is not cut off. */
export function domainOf(lanes: ScenarioLanes): Domain {
  const span = Math.max(500, lanes.end - lanes.start);
  return { from: lanes.start, to: lanes.start + span * 1.08 };
}

/** Percent of the chart's width at run time t. */
export function pctOf(t: number, domain: Domain): number {
  return Math.min(100, Math.max(0, ((t - domain.from) / (domain.to - domain.from)) * 100));
}

/** Run time at a fraction (0..1) of the chart's width. */
export function timeAt(fraction: number, domain: Domain): number {
  return domain.from + Math.min(1, Math.max(0, fraction)) * (domain.to - domain.from);
}

/** Tick times for the axis: a round step giving about `count` ticks. */
export function ticksOf(domain: Domain, count: number): number[] {
  const steps = [50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000, 20_000, 30_000, 60_000, 120_000, 300_000];
  const span = domain.to - domain.from;
  const step = steps.find((s) => span / s <= count) ?? steps.at(-1)!;
  const ticks: number[] = [];
  for (let t = Math.ceil(domain.from / step) * step; t <= domain.to; t += step) ticks.push(t);
  return ticks;
}

/** Every moment something changed in the scenario, sorted: where the arrow keys stop. */
export function momentsOf(lanes: ScenarioLanes): number[] {
  const times = new Set<number>([lanes.start]);
  for (const band of lanes.bands) {
    times.add(band.start);
    if (band.end !== undefined) times.add(band.end);
  }
  for (const row of lanes.rows) {
    for (const segment of row.segments) {
      times.add(segment.start);
      if (segment.end !== undefined) times.add(segment.end);
      if (segment.zombieFrom !== undefined) times.add(segment.zombieFrom);
      for (const exec of segment.execs) times.add(exec.t);
    }
  }
  for (const annotation of lanes.annotations) times.add(annotation.t);
  for (const step of lanes.steps) {
    times.add(step.start);
    if (step.end !== undefined) times.add(step.end);
  }
  return [...times].sort((a, b) => a - b);
}

/** Annotations with the flag row each takes (greedy, at most `maxRows`), given the chart's width in px. */
export function stackFlags(
  annotations: Annotation[],
  domain: Domain,
  widthPx: number,
  maxRows = 3,
): { annotation: Annotation; row: number }[] {
  const rowEnds: number[] = [];
  return annotations.map((annotation) => {
    const x = (pctOf(annotation.t, domain) / 100) * widthPx;
    const width = annotation.short.length * 7 + 16;
    let row = rowEnds.findIndex((end) => x >= end);
    if (row < 0) row = rowEnds.length < maxRows ? rowEnds.length : rowEnds.indexOf(Math.min(...rowEnds));
    rowEnds[row] = x + width;
    return { annotation, row };
  });
}

/** How many processes run at time t (zombies not counted). */
export function runningAt(lanes: ScenarioLanes, t: number): number {
  let count = 0;
  for (const row of lanes.rows)
    for (const s of row.segments)
      if (s.start <= t && (s.end === undefined || s.end > t) && (s.zombieFrom === undefined || s.zombieFrom > t))
        count++;
  return count;
}

/** What happened at (or last before) t, in words, for the slider's spoken value. */
export function describeMoment(lanes: ScenarioLanes, t: number): string {
  const annotation = lanes.annotations.findLast((a) => a.t <= t && t - a.t < 250);
  const running = runningAt(lanes, t);
  const processes = `${running} process${running === 1 ? '' : 'es'} running`;
  return annotation ? `${annotation.label}; ${processes}` : processes;
}
