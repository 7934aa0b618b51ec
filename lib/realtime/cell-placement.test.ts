import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { CellPlacement, cellCookieOf } from './cell-placement';

/** A request as the balancer forwards it (or not), with the headers given. */
function request(url: string, headers: Record<string, string> = {}, balanced = true, method = 'GET'): IncomingMessage {
  return { url, method, headers: { ...(balanced ? { 'x-lab-balancer': '1' } : {}), ...headers } } as IncomingMessage;
}

/** A placement on cell-a whose registry sends every learner to `target`, recording what it was asked. */
function placement(target: string | undefined | Error) {
  const asked: string[][] = [];
  const cells = new CellPlacement('cell-a', 20_000, async (_aliveMs, exclude) => {
    asked.push(exclude);
    if (target instanceof Error) throw target;
    return target;
  });
  return { cells, asked };
}

test('the cell cookie is read among others, and only by its exact name', () => {
  assert.equal(cellCookieOf('lab_learner=x.y; lab_cell=cell-b; other=1'), 'cell-b');
  assert.equal(cellCookieOf('not_lab_cell=cell-b'), undefined);
  assert.equal(cellCookieOf(undefined), undefined);
  assert.equal(cellCookieOf('lab_cell='), undefined);
});

test('a learner on this cell, and a request that did not come through the balancer, are served here as they are', async () => {
  const { cells, asked } = placement('cell-b');
  assert.deepEqual(await cells.decide(request('/exercises/x', { cookie: 'lab_cell=cell-a' })), { serve: true });
  assert.deepEqual(await cells.decide(request('/exercises/x', {}, false)), { serve: true });
  assert.deepEqual(await cells.decide(request('/_next/static/chunks/app.js')), { serve: true });
  assert.deepEqual(await cells.decide(request('/api/health')), { serve: true });
  assert.deepEqual(asked, [], 'no learner was placed');
});

test('a new learner placed on another cell: a GET is served here, a change is sent to the same address there', async () => {
  const { cells, asked } = placement('cell-b');
  const cookie = 'lab_cell=cell-b; Path=/; Max-Age=604800; HttpOnly; SameSite=Lax';
  assert.deepEqual(await cells.decide(request('/exercises/a/b')), { serve: true, setCookie: cookie });
  const placed = await cells.decide(request('/api/runs?exerciseId=a/b', {}, true, 'POST'));
  assert.deepEqual(placed, { serve: false, location: '/api/runs?exerciseId=a/b', setCookie: cookie });
  assert.deepEqual(asked, [[], []]);
});

test('a learner whose cell the balancer could not reach is placed on another, never back on it', async () => {
  const { cells, asked } = placement('cell-a');
  const placed = await cells.decide(request('/api/drafts', { cookie: 'lab_cell=cell-b' }, true, 'PUT'));
  assert.deepEqual(placed, {
    serve: true,
    setCookie: 'lab_cell=cell-a; Path=/; Max-Age=604800; HttpOnly; SameSite=Lax',
  });
  assert.deepEqual(asked, [['cell-b']]);
});

test('a WebSocket is served where it arrives; a registry that fails or has no cell leaves the learner here', async () => {
  const socket = await placement('cell-b').cells.decide(request('/api/terminal', { upgrade: 'websocket' }));
  assert.equal(socket.serve, true);
  for (const target of [undefined, new Error('database away')]) {
    const placed = await placement(target).cells.decide(request('/api/runs', {}, true, 'POST'));
    assert.deepEqual(placed, {
      serve: true,
      setCookie: 'lab_cell=cell-a; Path=/; Max-Age=604800; HttpOnly; SameSite=Lax',
    });
  }
});
