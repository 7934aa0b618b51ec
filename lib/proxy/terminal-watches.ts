// One TerminalWatch per learner: started by their workstation's proxy, read by their pages.
import { TerminalWatch } from '../observe/terminal-watch';
import type { Engine } from '../sandbox/engine';

/** The learners' terminal watches, by learner. */
export class TerminalWatches {
  constructor(private readonly engine: Engine) {}

  private readonly watches = new Map<string, Promise<TerminalWatch>>();

  /** The learner's watch, started on first use. */
  for(owner: string): Promise<TerminalWatch> {
    let watch = this.watches.get(owner);
    if (!watch) {
      const created = new TerminalWatch(owner, this.engine);
      watch = created.start().then(() => created);
      watch.catch(() => this.watches.delete(owner));
      this.watches.set(owner, watch);
    }
    return watch;
  }

  /**
   * The learner's watch if their workstation's proxy started one, else null: a page asking does not
   * start one (each holds an engine event stream, and learners are free to make).
   */
  existing(owner: string): Promise<TerminalWatch> | null {
    return this.watches.get(owner) ?? null;
  }

  /** Ends the learner's watch (their workstation is gone). */
  async end(owner: string): Promise<void> {
    const watch = this.watches.get(owner);
    this.watches.delete(owner);
    (await watch?.catch(() => null))?.close();
  }

  async endAll(): Promise<void> {
    await Promise.all([...this.watches.keys()].map((owner) => this.end(owner)));
  }
}
