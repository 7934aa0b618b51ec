// The steps of a scenario: what each kind does to the container or waits for, and how it ended. A step
// that cannot happen (the container is gone, no such process) is an outcome on the timeline, not an error.
import type { Action } from '../lessons/exercise-schema';
import { matchesProcess, processPhrase } from '../observe/program';
import { pid1 } from '../observe/process-tree';
import type { ActionOutcome, NewEvent } from '../observe/timeline-event';
import type { Engine } from '../sandbox/engine';
import { innermostProcess } from './innermost-process';
import type { ScenarioState } from './scenario-state';
import { sendSignal } from './send-signal';

/** What a step reads from and does to its scenario. */
export interface StepContext {
  engine: Engine;
  containerId: string;
  /** The container as observed so far; it changes while a step waits. */
  state: Readonly<ScenarioState>;
  /** The lines of output kept so far. */
  outputLines: readonly string[];
  /** Read back the files the container wrote before a stop too. */
  readFiles: boolean;
  /**
   * Resolves true when `predicate` holds, false on timeout or abort. With `untilExit`, it also ends
   * (false) once the container has exited for good.
   */
  waitUntil(predicate: () => boolean, timeoutMs: number, untilExit?: boolean): Promise<boolean>;
  /** Samples the processes every 10 ms until the timer returned is cleared. */
  sampleBurst(): NodeJS.Timeout;
  recordWrittenFiles(moment: 'before-stop'): Promise<void>;
  add(event: NewEvent): void;
}

/** How a step ended, for the timeline. */
export interface StepResult {
  outcome: ActionOutcome;
  detail: string;
}

const GONE = 'the container had exited for good, so there was nothing left to wait for';
const NOT_RUNNING = 'the container was not running';

/** Performs step `id` of a scenario. */
export async function performStep(step: StepContext, action: Action, id: string): Promise<StepResult> {
  const { state } = step;
  let outcome: ActionOutcome = 'done';
  let detail = '';
  switch (action.do) {
    case 'wait': {
      await step.waitUntil(() => false, action.ms, true);
      if (state.exitedForGood) detail = GONE;
      break;
    }
    case 'wait-for-process': {
      const before = new Set(state.processes.map((p) => p.pid));
      const found = () =>
        state.processes.some(
          (p) => p.state !== 'Z' && matchesProcess(p, action.match) && !(action.new && before.has(p.pid)),
        );
      if (!(await step.waitUntil(found, action.timeoutMs, true))) {
        outcome = 'timeout';
        detail = state.exitedForGood
          ? GONE
          : `no ${action.new ? 'new ' : ''}${processPhrase(action.match)} within ${action.timeoutMs} ms`;
      }
      break;
    }
    case 'wait-for-output': {
      const pattern = new RegExp(action.match);
      if (!(await step.waitUntil(() => step.outputLines.some((line) => pattern.test(line)), action.timeoutMs, true))) {
        outcome = 'timeout';
        detail = state.exitedForGood ? GONE : `no line matching /${action.match}/ within ${action.timeoutMs} ms`;
      }
      break;
    }
    case 'wait-for-exit': {
      if (!(await step.waitUntil(() => state.exitedForGood, action.timeoutMs))) {
        outcome = 'timeout';
        detail = `still ${state.restarting ? 'restarting' : 'running'} after ${action.timeoutMs} ms`;
      }
      break;
    }
    case 'wait-for-restart': {
      if (!(await step.waitUntil(() => state.restartCount >= action.count, action.timeoutMs, true))) {
        outcome = 'timeout';
        detail = `restarted ${state.restartCount} time(s)${state.exitedForGood ? ' before it exited for good' : ` within ${action.timeoutMs} ms`}`;
      }
      break;
    }
    case 'stop': {
      if (!state.running && !state.restarting) return { outcome: 'skipped', detail: NOT_RUNNING };
      // What the container wrote is read before the stop too: a program may remove its PID file on SIGTERM.
      if (step.readFiles) await step.recordWrittenFiles('before-stop').catch(() => undefined);
      // Who ends first after a stop (the program, or the shell in front of it) is what a check judges:
      // the tree is read every 10 ms until the container has ended.
      const burst = step.sampleBurst();
      try {
        await step.engine.stop(step.containerId, action.timeoutSec);
        await step.waitUntil(() => !state.running, 2_000);
      } finally {
        clearInterval(burst);
      }
      break;
    }
    case 'signal': {
      const target = action.pid1 ? pid1(state.processes) : innermostProcess(state.processes, action.match!);
      if (!state.running || !target) {
        return { outcome: 'skipped', detail: state.running ? `no ${processPhrase(action.match!)}` : NOT_RUNNING };
      }
      await sendSignal(step.engine, step.containerId, target, action.signal);
      detail = `sent ${action.signal} to PID ${target.pid} (${target.command})`;
      break;
    }
    case 'exec': {
      if (!state.running) return { outcome: 'skipped', detail: NOT_RUNNING };
      const result = await step.engine.exec(step.containerId, action.command, action.timeoutMs);
      step.add({ type: 'exec-result', action: id, exitCode: result.exitCode, output: result.output.slice(0, 4096) });
      detail = `exit code ${result.exitCode}`;
      break;
    }
  }
  return { outcome, detail };
}
