// A build from the terminal waits its turn with the runs: the same slots, fair across learners, and
// refused at once when the queue is full. While it waits, the docker CLI is told its place as build
// output, so `docker build` does not look stuck.
import type http from 'node:http';
import { CapacityError, type QueuePlace, type RunSlots } from '../capacity/run-slots';

/** A line of build output as the engine sends it (the CLI prints `stream`). */
export function buildOutputLine(text: string): string {
  return `${JSON.stringify({ stream: `${text}\n` })}\n`;
}

/** A failed build as the engine reports it inside a 200 stream. */
export function buildErrorLine(message: string): string {
  return `${JSON.stringify({ errorDetail: { message }, error: message })}\n`;
}

/** The message of an engine's error answer ({"message": ...}), or the text itself. */
export function refusalMessage(text: string): string {
  try {
    return (JSON.parse(text) as { message?: string }).message ?? text;
  } catch {
    return text;
  }
}

function describe(place: QueuePlace): string {
  return `The lab is busy: your build waits for a slot (position ${place.position}, about ${Math.max(1, Math.round(place.estimateMs / 1000))} s)`;
}

/**
 * Waits for a build slot for `owner`. Resolves with the function that gives it back, or null when the
 * answer has been sent already (queue full: 503) or the CLI went away while waiting. Once the build
 * has waited, the answer's headers (200, JSON lines) are sent: the caller must not send them again.
 */
export async function admitBuild(
  slots: RunSlots,
  owner: string,
  res: http.ServerResponse,
): Promise<(() => void) | null> {
  const gone = new AbortController();
  const onClose = () => gone.abort();
  res.on('close', onClose);
  try {
    const ticket = slots.enqueue(owner, gone.signal);
    ticket.onQueued((place) => {
      if (!res.headersSent) res.writeHead(200, { 'content-type': 'application/json' });
      res.write(buildOutputLine(describe(place)));
    });
    return await ticket.granted;
  } catch (error) {
    if (!(error instanceof CapacityError)) return null; // the CLI went away while the build waited
    const body = JSON.stringify({ message: error.message });
    res.writeHead(503, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'retry-after': String(error.retryAfterSeconds),
    });
    res.end(body);
    return null;
  } finally {
    res.off('close', onClose);
  }
}
