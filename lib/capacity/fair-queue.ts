// A queue that serves its owners in turn: each owner's items wait in their own line, and the owners
// take turns, one item each, in the order they first joined. One learner's many runs (or many clicks)
// never push back another learner's first one: a newcomer is served after at most one item of each
// owner already waiting.

/** Items waiting, served round-robin across owners and in arrival order within an owner. */
export class FairQueue<T> {
  /** Each waiting owner's items, oldest first; the map's order is the owners' turn order. */
  private readonly lines = new Map<string, T[]>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds an item at the end of its owner's line; a new owner takes the last turn. */
  push(owner: string, item: T): void {
    const line = this.lines.get(owner);
    if (line) line.push(item);
    else this.lines.set(owner, [item]);
    this.count++;
  }

  /** The next item: the oldest of the owner whose turn it is; that owner then goes to the back. */
  shift(): T | undefined {
    const next = this.lines.entries().next();
    if (next.done) return undefined;
    const [owner, line] = next.value;
    const item = line.shift() as T;
    this.lines.delete(owner);
    if (line.length) this.lines.set(owner, line);
    this.count--;
    return item;
  }

  /** Removes an item wherever it waits (a cancelled run); false when it was not waiting. */
  remove(item: T): boolean {
    for (const [owner, line] of this.lines) {
      const index = line.indexOf(item);
      if (index < 0) continue;
      line.splice(index, 1);
      if (line.length === 0) this.lines.delete(owner);
      this.count--;
      return true;
    }
    return false;
  }

  /** Every waiting item in the order it will be served: round by round, one per owner in turn. */
  order(): T[] {
    const lines = [...this.lines.values()];
    const order: T[] = [];
    for (let round = 0; order.length < this.count; round++) {
      for (const line of lines) if (round < line.length) order.push(line[round]);
    }
    return order;
  }
}
