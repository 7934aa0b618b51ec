import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RESEND_AFTER_MS, sendUnlessCut } from './resend-cut';

/** A sender that answers the given statuses in turn (undefined: the request was cut), and what it was asked. */
function answering(...statuses: (number | undefined | 'throws')[]) {
  let sent = 0;
  const send = async () => {
    const status = statuses[Math.min(sent++, statuses.length - 1)];
    if (status === 'throws') throw new TypeError('fetch failed');
    return status === undefined ? undefined : { status };
  };
  return { send, sent: () => sent };
}

test('an answer from a server is taken as it is, even an error', async () => {
  for (const status of [202, 409, 429, 500, 503]) {
    const sender = answering(status);
    const pauses: number[] = [];
    const { response, resent } = await sendUnlessCut(sender.send, async (ms) => pauses.push(ms));
    assert.equal(response?.status, status);
    assert.equal(resent, 0);
    assert.equal(sender.sent(), 1);
    assert.deepEqual(pauses, []);
  }
});

test('a cut request or a 502/504 is sent again after the pauses, twice at most', async () => {
  const sender = answering(502, 'throws', 202);
  const pauses: number[] = [];
  const { response, resent } = await sendUnlessCut(sender.send, async (ms) => pauses.push(ms));
  assert.equal(response?.status, 202);
  assert.equal(resent, 2);
  assert.deepEqual(pauses, RESEND_AFTER_MS);

  const never = answering(504, undefined, 502, 202);
  const last = await sendUnlessCut(never.send, async () => {});
  assert.equal(last.response?.status, 502, 'the third answer is the last one taken');
  assert.equal(never.sent(), 3);
});
