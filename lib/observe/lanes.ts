// A scenario's lifecycle as process lanes: one row per process (ordered and indented like `pstree -p`),
// a bar from spawn to exit per container incarnation, how each process ended, and what Docker or the
// lab did meanwhile (stop, signals, exec, steps, deadlines). Pure: derived from the timeline's events,
// so a live run, a replay and the instructor's recorded attempt are drawn the same way.
import { STEP_TITLES, type Annotation, type LaneRow, type ScenarioLanes, type Segment } from './lane-model';
import { signalAnnotation, tracedEndings } from './lane-model';
import type { TimelineEvent } from './timeline-event';

export * from './lane-model';

interface Open {
  row: LaneRow;
  segment: Segment;
  parentPid: number;
}

/** The lanes of `scenario`, up to `now` (run time in ms) for bars still growing. */
export function scenarioLanes(events: TimelineEvent[], scenario: string, now?: number): ScenarioLanes {
  const mine = events.filter((event) => event.scenario === scenario).sort((a, b) => a.seq - b.seq);
  const result: ScenarioLanes = {
    id: scenario,
    start: mine[0]?.t ?? 0,
    end: 0,
    ended: false,
    bands: [],
    rows: [],
    annotations: [],
    steps: [],
  };
  const rows = new Map<string, LaneRow>();
  const rowPaths = new Map<LaneRow, number[]>();
  let open = new Map<number, Open>();
  // Exits since the last sample, and those of the sample that found the container empty: they went
  // with PID 1 (the kernel kills the whole PID namespace when it dies).
  let batch: Segment[] = [];
  let last: Segment[] = [];
  const pidOf = new Map<Segment, number>();
  let lastSignal: { t: number; signal: string } | undefined;
  let stopAnnotated = false;
  const band = () => result.bands.at(-1);
  const annotate = (annotation: Annotation | null) => annotation && result.annotations.push(annotation);

  // Once PID 1 is gone, whatever goes after it in the same incarnation went with it.
  let pid1Gone = false;
  const justExited = new Map<number, Open>();
  const close = (entry: Open, t: number, seq: number) => {
    entry.segment.end = t;
    entry.segment.endSeq = seq;
    entry.segment.ending = pid1Gone
      ? { kind: 'with-container' }
      : entry.segment.zombieFrom !== undefined
        ? { kind: 'reaped' }
        : { kind: 'exited' };
    if (entry.row.pid === 1) pid1Gone = true;
    batch.push(entry.segment);
    pidOf.set(entry.segment, entry.row.pid);
    open.delete(entry.row.pid);
  };

  for (const event of mine) {
    result.end = Math.max(result.end, event.t);
    switch (event.type) {
      case 'scenario-start':
        result.start = event.t;
        break;
      case 'container-start':
        result.bands.push({ index: result.bands.length, start: event.t });
        open = new Map();
        batch = [];
        last = [];
        pid1Gone = false;
        lastSignal = undefined;
        stopAnnotated = false;
        break;
      case 'process-spawn': {
        const { process } = event;
        const current = open.get(process.pid);
        if (current) {
          // The same PID with a new program: it exec'd (a shell's `exec node server.js`).
          current.segment.execs.push({ t: event.t, command: process.command });
          break;
        }
        const parent = open.get(process.ppid);
        const path = parent ? [...(rowPaths.get(parent.row) ?? []), process.pid] : [process.pid];
        const key = `${parent?.row.key ?? ''}/${process.pid}:${process.command}`;
        let row = rows.get(key);
        if (!row) {
          row = {
            key,
            pid: process.pid,
            depth: path.length - 1,
            command: process.command,
            viaExec: process.ppid === 0 && process.pid !== 1,
            segments: [],
          };
          rows.set(key, row);
          rowPaths.set(row, path);
        }
        const segment: Segment = {
          band: Math.max(0, result.bands.length - 1),
          start: event.t,
          execs: [],
          startSeq: event.seq,
        };
        row.segments.push(segment);
        open.set(process.pid, { row, segment, parentPid: process.ppid });
        break;
      }
      case 'process-exit': {
        const entry = open.get(event.process.pid);
        if (entry) {
          close(entry, event.t, event.seq);
          justExited.set(entry.row.pid, entry);
        }
        break;
      }
      case 'snapshot': {
        const present = new Map(event.processes.map((p) => [p.pid, p]));
        // The sampler reports a process that became a zombie as exited: it lives on, unreaped, until
        // its parent waits for it (or it goes with the container).
        for (const [pid, entry] of justExited) {
          if (present.get(pid)?.state !== 'Z' || open.has(pid)) continue;
          entry.segment.zombieFrom = entry.segment.end;
          entry.segment.end = entry.segment.endSeq = entry.segment.ending = undefined;
          batch = batch.filter((segment) => segment !== entry.segment);
          open.set(pid, entry);
        }
        justExited.clear();
        for (const entry of [...open.values()]) {
          const process = present.get(entry.row.pid);
          if (process?.state === 'Z') entry.segment.zombieFrom ??= event.t;
          // A zombie gone from a sample that still holds processes: its parent reaped it.
          else if (!process && entry.segment.zombieFrom !== undefined && present.size > 0)
            close(entry, event.t, event.seq);
        }
        if (event.processes.length === 0) {
          for (const segment of batch) segment.ending = { kind: 'with-container' };
          last = batch;
        }
        batch = [];
        break;
      }
      case 'container-die': {
        const current = band();
        const diedAt = event.t;
        for (const entry of [...open.values()]) close(entry, diedAt, event.seq);
        // PID 1 ended as Docker says; the rest went with it. A sample may notice before or after the
        // engine-stamped death: a bar ends at whichever came first.
        // PID 1 may have been seen gone a sample before the rest: its segment of this incarnation counts too.
        const pid1 = [...rows.values()]
          .filter((row) => row.pid === 1)
          .flatMap((row) => row.segments.filter((s) => s.band === current?.index && s.end !== undefined));
        for (const segment of new Set([...pid1, ...last, ...batch])) {
          segment.end = Math.min(segment.end ?? diedAt, diedAt);
          segment.ending =
            pidOf.get(segment) !== 1
              ? { kind: 'with-container' }
              : event.oomKilled
                ? { kind: 'oom', code: event.exitCode }
                : event.signal
                  ? { kind: 'signal', signal: event.signal, code: event.exitCode }
                  : { kind: 'exit', code: event.exitCode };
        }
        batch = [];
        last = [];
        if (current) {
          if (current.grace && current.grace.to === undefined) current.grace.to = diedAt;
          current.end = diedAt;
          current.exit = {
            code: event.exitCode,
            signal: event.signal,
            oomKilled: event.oomKilled,
            willRestart: event.willRestart,
            seq: event.seq,
          };
        }
        break;
      }
      case 'container-restart':
        annotate({
          t: event.t,
          seq: event.seq,
          kind: 'restart',
          short: `restart ${event.restartCount}`,
          label: `Docker started the container again (restart ${event.restartCount}, its restart policy)`,
        });
        break;
      case 'container-signal': {
        const current = band();
        // Signals to a container that is not running (the lab's removal after the scenario) reach nobody.
        if (!current || current.end !== undefined) break;
        const grace = lastSignal && lastSignal.signal !== 'SIGKILL' && event.signal === 'SIGKILL';
        if (event.signal !== 'SIGKILL' && !current.grace) current.grace = { from: event.t };
        if (current.grace && current.grace.to === undefined && event.signal === 'SIGKILL') current.grace.to = event.t;
        annotate(
          grace
            ? {
                t: event.t,
                seq: event.seq,
                kind: 'sigkill',
                short: 'SIGKILL',
                label: `SIGKILL sent to PID 1: ${((event.t - lastSignal!.t) / 1000).toFixed(1)} s after ${lastSignal!.signal}, the grace period ran out`,
              }
            : {
                t: event.t,
                seq: event.seq,
                kind: 'signal',
                short: event.signal,
                label: `${event.signal} sent to PID 1 by Docker`,
              },
        );
        lastSignal = { t: event.t, signal: event.signal };
        break;
      }
      case 'signal':
        annotate(signalAnnotation(event));
        break;
      case 'container-stop': {
        // A stop from the terminal has no step: its first signal marks the moment it was asked for.
        const first = result.annotations.find(
          (a) => a.kind === 'signal' && a.t >= (band()?.start ?? 0) && a.seq < event.seq,
        );
        if (!stopAnnotated && first)
          annotate({ t: first.t, seq: first.seq, kind: 'stop', short: 'docker stop', label: 'docker stop requested' });
        stopAnnotated = true;
        break;
      }
      case 'action-start':
        result.steps.push({
          seq: event.seq,
          start: event.t,
          title: STEP_TITLES[event.kind] ?? event.kind,
          detail: event.detail,
        });
        if (event.kind === 'stop') {
          stopAnnotated = true;
          annotate({
            t: event.t,
            seq: event.seq,
            kind: 'stop',
            short: 'docker stop',
            label: `${event.detail} requested`,
          });
        } else if (event.kind === 'exec') {
          annotate({ t: event.t, seq: event.seq, kind: 'exec', short: 'docker exec', label: event.detail });
        } else if (event.kind === 'signal' && !/PID 1/.test(event.detail)) {
          // A signal to PID 1 is reported by Docker itself (container-signal); to another process, only here.
          annotate({
            t: event.t,
            seq: event.seq,
            kind: 'signal',
            short: event.detail.split(' ')[1] ?? 'signal',
            label: event.detail,
          });
        }
        break;
      case 'action-end': {
        const step = result.steps.findLast((s) => s.end === undefined);
        if (step) {
          step.end = event.t;
          step.outcome = event.outcome;
          // A step that could not run (a stop of a container already gone) did nothing to annotate.
          if (event.outcome === 'skipped') result.annotations = result.annotations.filter((a) => a.seq !== step.seq);
        }
        break;
      }
      case 'deadline':
        annotate({
          t: event.t,
          seq: event.seq,
          kind: 'deadline',
          short: 'deadline',
          label: `The ${event.what}'s time ran out`,
        });
        break;
      case 'disk-limit':
        annotate({ t: event.t, seq: event.seq, kind: 'disk', short: 'disk limit', label: 'Killed at its disk limit' });
        break;
      case 'scenario-end':
        result.ended = true;
        break;
    }
  }
  // Bars grow with the clock while the container runs (or is about to start again), not after it is done.
  const latest = result.bands.at(-1);
  const growing =
    !latest || latest.end === undefined || latest.exit?.willRestart || result.steps.some((s) => s.end === undefined);
  if (!result.ended && growing && now !== undefined) result.end = Math.max(result.end, now);
  result.rows = [...rows.values()].sort((a, b) => comparePaths(rowPaths.get(a)!, rowPaths.get(b)!));
  tracedEndings(result.rows, mine);
  result.annotations.sort((a, b) => a.t - b.t || a.seq - b.seq);
  return result;
}

// pstree -p order: parents before children, siblings by PID.
function comparePaths(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
