// The bounds of a workshop, as data: sizes, lengths and the rates at which workshops may be created,
// joined and messaged. Code elsewhere only applies them.
import type { RateLimit } from '../http/rate-limiter';

export const WORKSHOP_POLICY = {
  /** Learners per workshop: one room, at most what one lab server can take. */
  capacity: { min: 1, max: 500 },
  titleMaxLength: 120,
  /** Exercises per workshop, chosen from the curriculum, each at most once. */
  maxExercises: 50,
  displayNameMaxLength: 60,
  /** A message to everyone: a line or two on a projector, not an essay. */
  messageMaxLength: 280,
  /** Messages kept in a learner's view (the newest). */
  messagesShown: 20,
  /** The join code: letters and digits nobody confuses when read out loud (no 0/O, 1/I/L). */
  joinCode: { alphabet: 'ABCDEFGHJKMNPQRSTUVWXYZ23456789', length: 6 },
  /** Random bytes of the instructor's secret (base64url in the link). */
  instructorKeyBytes: 32,
  /** Anyone may create a workshop on a self-hosted lab, but not a flood of them (per address: LAB_WORKSHOPS_PER_HOUR). */
  createOverall: { max: 60, windowMs: 60 * 60_000 } satisfies RateLimit,
  /** Join attempts per learner: enough for typos, too few to guess codes. */
  joinPerLearner: { max: 20, windowMs: 60_000 } satisfies RateLimit,
  /** A whole room may sit behind one address (a venue's NAT): 200 people joining in the same minute. */
  joinPerAddress: { max: 300, windowMs: 60_000 } satisfies RateLimit,
  messagesPerWorkshop: { max: 6, windowMs: 60_000 } satisfies RateLimit,
  /** Members whose sandboxes are stopped at the same time when a workshop ends. */
  endConcurrency: 8,
} as const;
