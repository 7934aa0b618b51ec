// Reading a request's body with a bound: the JSON of a create, exec or update is read whole, and no
// further than JSON_BODY_LIMIT (which bounds an upgrade's body too).
import type http from 'node:http';

/** Largest JSON body of a create, exec or update. */
export const JSON_BODY_LIMIT = 256 * 1024;

/** The request's body, or null past `maxBytes` (the rest is not read). */
export async function readBody(req: http.IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
