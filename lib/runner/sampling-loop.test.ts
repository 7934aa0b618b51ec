// The exit watch of the sampling loop, on a real file standing for the cgroup's process list: a sample is
// taken when PID 1 leaves the list (the 10 Hz sampling is not started here: only the watch samples), and
// once only. How fast is measured by `npm run bench` (b), not here.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { ProcessInfo } from '../observe/timeline-event';
import { SamplingLoop } from './sampling-loop';

test('the exit watch samples when PID 1 leaves the cgroup, then stops watching', { timeout: 10_000 }, async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lab-procs-')), 'cgroup.procs');
  fs.writeFileSync(file, '4242\n4250\n');
  const samples: number[] = [];
  const loop = new SamplingLoop(
    () => true,
    () => void samples.push(Date.now()),
  );
  loop.use({ sample: async (): Promise<ProcessInfo[]> => [] });
  loop.watchExit(file, 4242);
  await delay(60);
  assert.equal(samples.length, 0, 'no sample while PID 1 is listed');
  fs.writeFileSync(file, '4250\n');
  while (samples.length === 0) await delay(5);
  fs.writeFileSync(file, '');
  await delay(40);
  assert.equal(samples.length, 1, 'the watch ended with its sample');
  loop.stop();
});

test('a sample asked for while another runs is taken when it ends, not dropped', async () => {
  let calls = 0;
  const loop = new SamplingLoop(
    () => true,
    () => undefined,
  );
  loop.use({
    sample: async (): Promise<ProcessInfo[]> => {
      calls++;
      await delay(20);
      return [];
    },
  });
  await Promise.all([loop.sampleNow(), loop.sampleNow(), loop.sampleNow()]);
  assert.equal(calls, 2, 'the one in progress, then one more for the requests made meanwhile');
  loop.stop();
});
