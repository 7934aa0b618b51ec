// The shells this server keeps, by session id, each owned by one learner and bounded in number per
// learner and in all. A learner reaches only their own sessions: another learner's id is unknown to them.
import { randomBytes } from 'node:crypto';
import type { Shell, TerminalSize } from '../sandbox/workstation-host';
import { ShellSession } from './shell-session';
import { TERMINAL_LIMITS, type TerminalLimits } from './terminal-limits';

/** A shell could not be opened because a limit was reached; the message is for the learner. */
export class TerminalRefused extends Error {}

/** Opens a shell for a learner (in their workstation, in the lab); throws TerminalRefused at a limit. */
export type ShellOpener = (owner: string, size: TerminalSize) => Promise<Shell>;

/** A new session, or why none could be started (a limit; not a fault). */
export type StartResult = { session: ShellSession } | { refused: string };

/** Creates, finds and ends shell sessions. */
export class TerminalSessions {
  private readonly sessions = new Map<string, ShellSession>();
  /** Sessions being started, per learner, so that limits hold while shells start. */
  private readonly opening = new Map<string, number>();

  constructor(
    private readonly openShell: ShellOpener,
    readonly limits: TerminalLimits = TERMINAL_LIMITS,
  ) {}

  /** The learner's session `id`, if it still exists. */
  find(owner: string, id: string): ShellSession | undefined {
    const session = this.sessions.get(id);
    return session?.owner === owner ? session : undefined;
  }

  /** The learner's sessions, oldest first. */
  of(owner: string): ShellSession[] {
    return [...this.sessions.values()].filter((session) => session.owner === owner);
  }

  /** Starts a shell for the learner; past their limit the oldest session no page is attached to makes room. */
  async start(owner: string, size: TerminalSize): Promise<StartResult> {
    const own = this.of(owner);
    const opening = this.opening.get(owner) ?? 0;
    if (own.length + opening >= this.limits.sessionsPerLearner) {
      const idle = own.find((session) => !session.attached);
      if (!idle)
        return {
          refused: `at most ${this.limits.sessionsPerLearner} terminals at once: close one in another tab first`,
        };
      idle.end();
    }
    if (this.sessions.size + this.openingTotal() >= this.limits.sessions) {
      return { refused: 'the lab has as many terminals open as it can take: try again in a minute' };
    }
    this.opening.set(owner, opening + 1);
    try {
      const shell = await this.openShell(owner, size);
      const id = randomBytes(16).toString('base64url');
      const session = new ShellSession(id, owner, shell, this.limits, (ended) => this.sessions.delete(ended.id));
      this.sessions.set(id, session);
      return { session };
    } catch (error) {
      if (error instanceof TerminalRefused) return { refused: error.message };
      throw error;
    } finally {
      const left = (this.opening.get(owner) ?? 1) - 1;
      if (left > 0) this.opening.set(owner, left);
      else this.opening.delete(owner);
    }
  }

  /** Ends the learner's sessions, telling their pages why. */
  endFor(owner: string, reason: string): void {
    for (const session of this.of(owner)) session.end(reason);
  }

  /** Ends every session (shutdown). */
  endAll(reason: string): void {
    for (const session of [...this.sessions.values()]) session.end(reason);
  }

  private openingTotal(): number {
    let total = 0;
    for (const count of this.opening.values()) total += count;
    return total;
  }
}
