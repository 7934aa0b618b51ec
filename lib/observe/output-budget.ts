// How much of a container's output the timeline keeps: lines until the budget is spent, then one
// "truncated" mark, then nothing. The engine keeps its own capped log; this bounds the lab's memory.

/** What to do with the next line. */
export type OutputVerdict = 'keep' | 'truncate' | 'drop';

/** A budget of `limitBytes` (a line costs its bytes and its newline). */
export class OutputBudget {
  private used = 0;
  private spent = false;

  constructor(readonly limitBytes: number) {}

  /** `keep` the line, `truncate` (the budget ends here: record that once), or `drop` it (ended before). */
  take(text: string): OutputVerdict {
    if (this.spent) return 'drop';
    this.used += Buffer.byteLength(text) + 1;
    if (this.used <= this.limitBytes) return 'keep';
    this.spent = true;
    return 'truncate';
  }
}
