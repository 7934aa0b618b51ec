// What the tests of evaluateChecks share: a hand-made timeline (Run) that numbers its events and keeps the
// current scenario, check specs read through the schema so that defaults apply, and the runs several of
// them judge (a container running with given processes, a container that exited with given codes).
import assert from 'node:assert/strict';
import { CheckSpecSchema, type CheckSpec } from '../lessons/exercise-schema';
import type { ActionOutcome, FileChange, NewEvent, ProcessInfo, TimelineEvent } from '../observe/timeline-event';
import type { CheckResult } from './check-result';
import { evaluateChecks } from './evaluate';

/** A process as a snapshot lists it. */
export function proc(pid: number, ppid: number, command: string, state = 'S'): ProcessInfo {
  return { pid, ppid, command, state };
}

/** A hand-made timeline: each event gets the next seq, the given t, and the current scenario. */
export class Run {
  readonly events: TimelineEvent[] = [];
  private scenario: string | undefined;

  add(t: number, event: NewEvent): this {
    const scenario = event.scenario ?? this.scenario;
    this.events.push({ ...event, ...(scenario ? { scenario } : {}), seq: this.events.length, t } as TimelineEvent);
    return this;
  }

  /** Run start and a successful build. */
  built(durationMs = 1234): this {
    this.scenario = undefined;
    return this.add(0, { type: 'run-start', exerciseId: 'lesson/exercise', runId: 'r1' })
      .add(1, { type: 'build-start' })
      .add(durationMs, { type: 'build-end', ok: true, imageId: 'sha256:abc', durationMs });
  }

  /** Starts a scenario: later events belong to it. */
  /** An event of the run as a whole, outside every scenario. */
  ofRun(t: number, event: NewEvent): this {
    const scenario = this.scenario;
    this.scenario = undefined;
    this.add(t, event);
    this.scenario = scenario;
    return this;
  }

  in(scenario: string, t: number): this {
    this.scenario = scenario;
    return this.add(t, { type: 'scenario-start', description: `the ${scenario} scenario` });
  }

  start(t: number): this {
    return this.add(t, { type: 'container-start', hostPid: 4242 });
  }

  die(t: number, exitCode: number, willRestart = false): this {
    return this.add(t, { type: 'container-die', exitCode, oomKilled: false, willRestart });
  }

  restart(t: number, restartCount: number): this {
    return this.add(t, { type: 'container-restart', restartCount });
  }

  snapshot(t: number, ...processes: ProcessInfo[]): this {
    return this.add(t, { type: 'snapshot', processes });
  }

  stepStart(t: number, action: string, kind = 'wait'): this {
    return this.add(t, { type: 'action-start', action, kind, detail: `${kind} ${action}` });
  }

  stepEnd(t: number, action: string, outcome: ActionOutcome = 'done', detail = 'done'): this {
    return this.add(t, { type: 'action-end', action, outcome, detail });
  }

  step(t: number, action: string, outcome: ActionOutcome = 'done', detail = 'done'): this {
    return this.stepStart(t, action).stepEnd(t + 10, action, outcome, detail);
  }

  output(t: number, text: string, stream: 'stdout' | 'stderr' = 'stdout'): this {
    return this.add(t, { type: 'output', stream, text });
  }

  spawn(t: number, process: ProcessInfo): this {
    return this.add(t, { type: 'process-spawn', process });
  }

  fsChanges(t: number, ...changes: FileChange[]): this {
    return this.add(t, { type: 'fs-changes', changes });
  }

  end(t: number): this {
    return this.add(t, { type: 'scenario-end' });
  }

  /** The seq of the last event of a type. */
  seqOf(type: TimelineEvent['type']): number {
    return this.events.filter((event) => event.type === type).at(-1)!.seq;
  }
}

/** A check spec through the schema, so defaults apply. */
export function check(
  id: string,
  assertion: Record<string, unknown>,
  options: { scenario?: string; bonus?: boolean } = {},
): CheckSpec {
  return CheckSpecSchema.parse({
    id,
    title: `title of ${id}`,
    scenario: options.scenario ?? 'main',
    assert: assertion,
    hint: `hint for ${id}`,
    ...(options.bonus === undefined ? {} : { bonus: options.bonus }),
  });
}

/** Evaluates one check over a run that built; returns its result. */
export function judge(assertion: Record<string, unknown>, run: Run, options: { scenario?: string } = {}): CheckResult {
  const results = evaluateChecks([check('the-check', assertion, options)], run.events);
  assert.equal(results.length, 2);
  assert.equal(results[0].status, 'pass', 'the build check should pass');
  return results[1];
}

/** A running container with `processes` seen at step "settled". */
export function runningWith(...processes: ProcessInfo[]): Run {
  return new Run()
    .built()
    .in('main', 2000)
    .start(2010)
    .stepStart(2020, 'settled')
    .snapshot(2300, ...processes)
    .stepEnd(2400, 'settled')
    .end(2500);
}

/** A run whose container exits with each code in turn, Docker restarting it after each but the last. */
export function exits(...codes: number[]): Run {
  const run = new Run().built().in('main', 2000);
  codes.forEach((code, i) => {
    run.start(2100 + i * 1000).die(2500 + i * 1000, code, i < codes.length - 1);
    if (i < codes.length - 1) run.restart(2600 + i * 1000, i + 1);
  });
  return run.end(9000);
}
