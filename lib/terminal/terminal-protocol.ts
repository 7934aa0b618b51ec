// The terminal's WebSocket protocol. Bytes travel as binary frames: output server -> page, input page
// -> server. Control travels as JSON text frames, typed by `type`.
import { z } from 'zod';
import { TERMINAL_LIMITS } from './terminal-limits';

/** The WebSocket path of the terminal. */
export const TERMINAL_PATH = '/api/terminal';

/** Close codes beyond the standard ones, so the page knows whether to reconnect. */
export const CLOSE_CODES = {
  /** The shell ended; a new connection starts a new one. */
  ended: 1000,
  /** Another connection (tab) took this shell over: do not reconnect by yourself. */
  replaced: 4000,
  /** Refused by a limit (too many shells): do not retry at once. */
  refused: 4008,
  /** The lab could not start the workstation. */
  failed: 4011,
} as const;

/** A control message from the page. */
export const ClientMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('resize'),
    cols: z.number().int().min(2).max(TERMINAL_LIMITS.maxCols),
    rows: z.number().int().min(1).max(TERMINAL_LIMITS.maxRows),
  }),
  /** Everything before absolute output offset `offset` has been written to the screen. */
  z.object({ type: z.literal('ack'), offset: z.number().int().min(0) }),
]);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

/** A control message from the server. */
export type ServerMessage =
  /** The shell is attached; the binary frames that follow start at absolute output offset `offset`. */
  | { type: 'ready'; session: string; offset: number }
  /** The shell ended with this code (null when it could not be known: the workstation was removed). */
  | { type: 'exit'; code: number | null }
  | { type: 'error'; message: string };

/** What the page asks for when it connects (the query string). */
export const ConnectQuerySchema = z.object({
  /** A shell to resume, with the first output byte the page has not seen. */
  session: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/)
    .optional(),
  offset: z.coerce.number().int().min(0).optional(),
  /** The exercise open in the page: its files are copied into the workstation. */
  exerciseId: z.string().max(200).optional(),
  cols: z.coerce.number().int().min(2).max(TERMINAL_LIMITS.maxCols).default(80),
  rows: z.coerce.number().int().min(1).max(TERMINAL_LIMITS.maxRows).default(24),
});
export type ConnectQuery = z.infer<typeof ConnectQuerySchema>;

/** A text frame as a control message, or null when it is not one. */
export function parseClientMessage(text: string): ClientMessage | null {
  try {
    const parsed = ClientMessageSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
