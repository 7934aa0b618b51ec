// A request's JSON body, read up to a size: a larger body is refused (413) as soon as it passes the size,
// without reading the rest.
import { HttpError } from './http-error';

/** The parsed JSON body of `request`; 413 past `maxBytes`, 400 when it is not JSON (`shape` says what is expected). */
export async function jsonBody(request: Request, maxBytes: number, shape: string): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw new HttpError(413, `the body may take at most ${maxBytes} bytes`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new HttpError(413, `the body may take at most ${maxBytes} bytes`);
      }
      chunks.push(value);
    }
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, `the body must be JSON: ${shape}`);
  }
}
