// Relays a streaming answer of the engine (logs -f, events, wait, stats) to the learner's CLI with the
// proxy's headers, for at most the stream's lifetime; either side going away ends the other.
import type http from 'node:http';
import { splitLines } from '../sandbox/line-splitter';
import { baseHeaders, contentTypeOf, messageOf, withoutHostPaths } from './proxy-answers';
import type { ProxyCall, ProxyContext } from './proxy-context';
import { stripScope } from './scope';

/** Largest error answer read from a stream request the engine refused. */
const MAX_ERROR_BYTES = 64 * 1024;

/**
 * Streams `answer` to the CLI. With `transform`, the answer is read as lines and each line is replaced
 * by what it returns (null drops it); without, bytes pass as they are (multiplexed container output).
 * Resolves when the stream has ended.
 */
export async function relayStream(
  ctx: ProxyContext,
  call: ProxyCall,
  open: () => Promise<http.IncomingMessage>,
  transform?: (line: string) => string | null,
): Promise<void> {
  const { res } = call;
  // The slot is held before the engine is asked: a flood is turned away without one engine connection.
  const release = ctx.holdStream(call.req.socket, res);
  if (!release) return;
  let answer: http.IncomingMessage;
  try {
    answer = await open();
  } catch (error) {
    release();
    throw error;
  }
  if (res.destroyed || call.req.socket.destroyed) {
    answer.destroy();
    return release();
  }
  const status = answer.statusCode ?? 502;
  if (status >= 400) {
    // An error answer is small and whole: read it (bounded) and say it the proxy's way.
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of answer) {
      size += (chunk as Buffer).length;
      if (size > MAX_ERROR_BYTES) break;
      chunks.push(chunk as Buffer);
    }
    answer.destroy();
    const body = JSON.stringify({
      message: withoutHostPaths(stripScope(ctx.scope, messageOf(Buffer.concat(chunks).toString('utf8')))),
    });
    res.writeHead(status, {
      ...baseHeaders(call.api),
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
    return;
  }
  res.writeHead(status, { ...baseHeaders(call.api), 'content-type': contentTypeOf(answer.headers['content-type']) });
  res.flushHeaders();
  await new Promise<void>((resolve) => {
    const end = () => {
      clearTimeout(lifetime);
      answer.destroy();
      if (!res.writableEnded) res.end();
      resolve();
    };
    const lifetime = setTimeout(end, ctx.streamLifetimeMs);
    res.on('close', end);
    answer.on('error', end);
    answer.on('end', () => {
      lines?.flush();
      end();
    });
    // A CLI that reads slowly holds the engine back rather than the lab's memory.
    const write = (data: string | Buffer) => {
      if (!res.write(data)) {
        answer.pause();
        res.once('drain', () => answer.resume());
      }
    };
    const lines = transform
      ? splitLines((line) => {
          const out = transform(line);
          if (out !== null) write(`${out}\n`);
        })
      : null;
    answer.on('data', (chunk: Buffer) => {
      if (lines) lines.push(chunk.toString('utf8'));
      else write(chunk);
    });
  });
}
