// memory-below and no-oom-kill, over hand-made timelines with memory readings and die events.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judge, Run } from './evaluate-fixtures';

const MiB = 1024 * 1024;
const started = () => new Run().built().in('main', 2000).start(2010);
const reading = (run: Run, t: number, peakMb: number, limitMb = 100) =>
  run.add(t, { type: 'memory', bytes: peakMb * MiB, peakBytes: peakMb * MiB, limitBytes: limitMb * MiB });

test('memory-below passes when the highest reading stays under the share of the limit', () => {
  const run = started();
  reading(run, 2100, 40);
  reading(run, 2200, 70);
  run.stepStart(2300, 'stop', 'stop').die(2400, 0).stepEnd(2500, 'stop').end(2600);
  const result = judge({ type: 'memory-below', percent: 90 }, run);
  assert.equal(result.status, 'pass');
  assert.equal(result.observed, 'at most 70 MiB of its 100 MiB limit (70%)');
});

test('memory-below fails past the share, and for an OOM kill whatever was read', () => {
  const high = started();
  reading(high, 2100, 95);
  high.end(2600);
  assert.equal(judge({ type: 'memory-below', percent: 90 }, high).status, 'fail');
  const killed = started();
  reading(killed, 2100, 50);
  killed
    .add(2200, { type: 'container-die', exitCode: 137, signal: 'SIGKILL', oomKilled: true, willRestart: true })
    .end(2600);
  const result = judge({ type: 'memory-below', percent: 90 }, killed);
  assert.equal(result.status, 'fail');
  assert.match(result.observed ?? '', /OOM killer/);
});

test('memory-below fails, saying why, without a reading', () => {
  const result = judge({ type: 'memory-below', percent: 90 }, started().end(2600));
  assert.equal(result.status, 'fail');
  assert.match(result.observed ?? '', /could not read/);
});

test('no-oom-kill fails for each OOM kill and passes for other exits', () => {
  const killed = started()
    .add(2200, { type: 'container-die', exitCode: 137, signal: 'SIGKILL', oomKilled: true, willRestart: true })
    .end(2600);
  const result = judge({ type: 'no-oom-kill' }, killed);
  assert.equal(result.status, 'fail');
  assert.equal(result.observed, 'the OOM killer ended it once (exit code 137, OOMKilled)');
  assert.equal(judge({ type: 'no-oom-kill' }, started().die(2200, 137).end(2600)).status, 'pass');
});
