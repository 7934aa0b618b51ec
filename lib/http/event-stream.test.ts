import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventStream, untilAborted } from './event-stream';

async function readAll(response: Response): Promise<string> {
  return new TextDecoder().decode(await response.arrayBuffer());
}

test('events are framed with their name, id and JSON data after the retry line, and the stream ends with the producer', async () => {
  const response = eventStream(
    new Request('http://lab/x'),
    async (sink) => {
      sink.send('timeline', { seq: 0 }, '0');
      sink.send('result', { status: 'pass' });
    },
    { retryMs: 1500 },
  );
  assert.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  assert.equal(response.headers.get('cache-control'), 'no-cache, no-transform');
  assert.equal(
    await readAll(response),
    'retry: 1500\n\nid: 0\nevent: timeline\ndata: {"seq":0}\n\nevent: result\ndata: {"status":"pass"}\n\n',
  );
});

test('a page that leaves aborts the producer and ends the stream; nothing is written after', async () => {
  const page = new AbortController();
  let producerSignal: AbortSignal | undefined;
  let after = false;
  const response = eventStream(
    new Request('http://lab/x', { signal: page.signal }),
    async (sink) => {
      producerSignal = sink.signal;
      sink.send('hello', 1);
      await untilAborted(sink.signal);
      sink.send('late', 2);
      after = true;
    },
    { retryMs: 1000 },
  );
  const reader = response.body!.getReader();
  const first = new TextDecoder().decode((await reader.read()).value);
  assert.match(first, /^retry: 1000/);
  page.abort();
  let rest = '';
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
    rest += new TextDecoder().decode(chunk.value);
  assert.equal(producerSignal?.aborted, true);
  assert.equal(after, true);
  assert.doesNotMatch(first + rest, /late/);
});

test('a quiet stream gets keep-alive comments', async () => {
  const page = new AbortController();
  const response = eventStream(
    new Request('http://lab/x', { signal: page.signal }),
    (sink) => untilAborted(sink.signal),
    { retryMs: 1000, keepaliveMs: 20 },
  );
  const reader = response.body!.getReader();
  let text = '';
  while (!text.includes(': keepalive')) text += new TextDecoder().decode((await reader.read()).value);
  page.abort();
  assert.match(text, /^retry: 1000\n\n(: keepalive\n\n)+$/);
});
