// Following a container's output within the run's output budget: each start of the container is
// followed anew, and the lines kept are what an output step waits for.
import { setTimeout as delay } from 'node:timers/promises';
import { OutputBudget } from '../observe/output-budget';
import type { Engine, OutputLine, Stoppable } from '../sandbox/engine';

/** What a follower tells its scenario: each line kept, and once, that the budget ran out. */
export interface OutputListener {
  onLine(line: OutputLine): void;
  onTruncated(limitBytes: number): void;
  /** True once the scenario has ended: nothing more is taken or followed. */
  closed(): boolean;
}

/** Follows one container's output, across its starts. */
export class OutputFollower {
  /** The lines kept so far, in order. */
  readonly lines: string[] = [];
  private readonly budget: OutputBudget;
  private stream: Stoppable | null = null;
  /** The stream being opened, until it is. */
  private opening: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly engine: Engine,
    limitBytes: number,
    private readonly listener: OutputListener,
  ) {
    this.budget = new OutputBudget(limitBytes);
  }

  /** Follows the container's output from `since` (epoch ms) on, instead of what was followed before. */
  follow(containerId: string, since: number): void {
    if (this.stopped) return;
    this.stream?.stop();
    this.opening = this.engine
      .logs(containerId, since, (line) => {
        if (this.listener.closed()) return;
        const verdict = this.budget.take(line.text);
        if (verdict === 'truncate') this.listener.onTruncated(this.budget.limitBytes);
        if (verdict !== 'keep') return;
        this.lines.push(line.text);
        this.listener.onLine(line);
      })
      .then((stream) => {
        // A stream that opens after the scenario stopped following (a restart as it ends) is nobody's.
        if (this.stopped || this.listener.closed()) stream.stop();
        else this.stream = stream;
      })
      .catch(() => undefined); // the container may already be gone; its output is then lost with it
  }

  /**
   * Stops following, for good. With `drain`, first lets the stream open and the last lines arrive (at
   * most 1 s each): the stream ends by itself once the container has stopped.
   */
  async stop(drain: boolean): Promise<void> {
    // A container that lived shorter than its log stream takes to open (a loaded engine) still has its
    // output: wait for the stream (at most 1 s) before draining it.
    if (drain && this.opening) await Promise.race([this.opening, delay(1_000)]);
    if (drain && this.stream?.finished) {
      await Promise.race([this.stream.finished, delay(1_000)]);
    }
    this.stopped = true;
    this.stream?.stop();
  }
}
