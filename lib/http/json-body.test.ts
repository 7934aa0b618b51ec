import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonBody } from './json-body';

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request('http://lab/api', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

test('a JSON body within the size is parsed', async () => {
  assert.deepEqual(await jsonBody(post('{"held":true}'), 64, '{"held"}'), { held: true });
});

test('a body past the size is refused with 413, declared or streamed, without reading the rest', async () => {
  await assert.rejects(jsonBody(post('x'.repeat(65), { 'content-length': '65' }), 64, '{}'), { status: 413 });
  let pulled = 0;
  const endless = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled++;
      controller.enqueue(new Uint8Array(32));
    },
  });
  await assert.rejects(jsonBody(post(endless), 64, '{}'), { status: 413 });
  assert.ok(pulled < 10, `read ${pulled} chunks of an endless body`);
});

test('a body that is not JSON is a 400 that says what is expected', async () => {
  await assert.rejects(jsonBody(post('held'), 64, '{"held": true | false}'), {
    status: 400,
    message: 'the body must be JSON: {"held": true | false}',
  });
});
