// The no-zombies check: zombies timed from the first sample showing them to the first without them,
// reaped by a later sample or gone with the container. Pure: hand-made timelines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judge, proc, Run } from './evaluate-fixtures';

const app = proc(1, 0, 'node app.js');
const init = proc(1, 0, 'tini -- node app.js');
const child = proc(7, 1, 'node app.js');

test('no-zombies passes when no sample showed a zombie', () => {
  const run = new Run().built().in('main', 2000).start(2010).snapshot(2100, app).die(5000, 0).end(5100);
  const result = judge({ type: 'no-zombies' }, run);
  assert.equal(result.status, 'pass');
  assert.equal(result.observed, 'no zombie was seen');
});

test('no-zombies with lingerMs passes zombies reaped soon enough and reports how soon', () => {
  const run = new Run()
    .built()
    .in('main', 2000)
    .start(2010)
    .snapshot(2100, init, child)
    .snapshot(2200, init, child, proc(9, 1, '[sleep]', 'Z'))
    .snapshot(2350, init, child)
    .snapshot(3000, init, child, proc(11, 1, '[sleep]', 'Z'))
    .snapshot(3100, init, child)
    .die(5000, 0)
    .end(5100);
  const result = judge({ type: 'no-zombies', lingerMs: 500 }, run);
  assert.equal(result.status, 'pass');
  assert.equal(result.observed, '2 zombie(s) seen, each reaped within 150 ms');
  assert.equal(judge({ type: 'no-zombies' }, run).status, 'fail');
});

test('no-zombies fails on a zombie PID 1 never waits for, timed until the container ends', () => {
  const run = new Run()
    .built()
    .in('main', 2000)
    .start(2010)
    .snapshot(2100, app)
    .snapshot(2200, app, proc(9, 1, '[sleep]', 'Z'))
    .snapshot(2300, app, proc(9, 1, '[sleep]', 'Z'), proc(12, 1, '[sleep]', 'Z'))
    .die(6200, 0)
    .snapshot(6250)
    .end(6300);
  const result = judge({ type: 'no-zombies', lingerMs: 1000 }, run);
  assert.equal(result.status, 'fail');
  assert.equal(
    result.observed,
    '2 zombie(s) seen, 2 for longer; PID 9 ([sleep]) stayed one 4000 ms under its parent PID 1 (node app.js), which never waited for it',
  );
  assert.equal(result.evidence?.seq, run.events.find((event) => event.t === 2200)!.seq);
});

test('no-zombies names a late reaping as such, and a zombie still there at the end counts until then', () => {
  const late = new Run()
    .built()
    .in('main', 2000)
    .start(2010)
    .snapshot(2200, app, proc(9, 1, '[sleep]', 'Z'))
    .snapshot(4200, app)
    .end(5000);
  const result = judge({ type: 'no-zombies', lingerMs: 1000 }, late);
  assert.equal(result.status, 'fail');
  assert.match(
    result.observed,
    /stayed one 2000 ms under its parent PID 1 \(node app\.js\), which waited for it only then$/,
  );
  const open = new Run()
    .built()
    .in('main', 2000)
    .start(2010)
    .snapshot(2200, app, proc(9, 1, '[sleep]', 'Z'))
    .end(2900);
  assert.match(judge({ type: 'no-zombies', lingerMs: 500 }, open).observed, /stayed one 700 ms/);
});

test('a PID used again after a reaping is a new zombie', () => {
  const run = new Run()
    .built()
    .in('main', 2000)
    .start(2010)
    .snapshot(2100, init, proc(9, 1, '[sleep]', 'Z'))
    .snapshot(2200, init, proc(9, 1, 'sleep 1'))
    .snapshot(3200, init, proc(9, 1, '[sleep]', 'Z'))
    .snapshot(3300, init)
    .end(4000);
  const result = judge({ type: 'no-zombies', lingerMs: 500 }, run);
  assert.equal(result.status, 'pass');
  assert.equal(result.observed, '2 zombie(s) seen, each reaped within 100 ms');
});
