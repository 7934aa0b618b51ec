// The terminal's bounds, as data in one place: what one shell may hold in memory for its client, how
// far output may run ahead of the page, how long a dropped page may take to come back.

/** Bounds on terminal sessions. */
export interface TerminalLimits {
  /** Recent output a session keeps for a client that reconnects (bytes). */
  logBytes: number;
  /** Output not yet acknowledged by the page above which the shell is paused (bytes). */
  highWaterBytes: number;
  /** ... and below which it runs again. */
  lowWaterBytes: number;
  /** Largest output frame sent to the page. */
  frameBytes: number;
  /** Largest message the page may send (typed input, pasted text, control messages). */
  messageBytes: number;
  /** Input typed while the shell is still starting, kept until it runs. */
  pendingInputBytes: number;
  /** How long a shell waits for its page to come back before it is ended. */
  detachedMs: number;
  /** Shells one learner may have at once (tabs, reloads). */
  sessionsPerLearner: number;
  /** Shells on this server at once. */
  sessions: number;
  /** Largest terminal accepted. */
  maxCols: number;
  maxRows: number;
}

const KiB = 1024;

/** The limits every terminal gets. */
export const TERMINAL_LIMITS: Readonly<TerminalLimits> = Object.freeze({
  // The log must hold everything unacknowledged (high water) plus what arrives while pausing takes effect.
  logBytes: 1024 * KiB,
  highWaterBytes: 512 * KiB,
  lowWaterBytes: 128 * KiB,
  frameBytes: 32 * KiB,
  messageBytes: 64 * KiB,
  pendingInputBytes: 16 * KiB,
  detachedMs: 60_000,
  sessionsPerLearner: 4,
  sessions: 256,
  maxCols: 500,
  maxRows: 200,
});
