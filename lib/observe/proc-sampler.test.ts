// The samplers against the real engine: /proc gives in-container PIDs and sees zombies; `docker top`
// is the fallback for a remote engine.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { newRunId } from '../runner/run-exercise';
import { DockerEngine } from '../sandbox/docker-engine';
import { runLimitsFor } from '../sandbox/limits';
import { waitFor } from '../testing/wait-for';
import { ProcSampler, cgroupProcsFile } from './proc-sampler';
import { TopSampler } from './top-sampler';

const engine = new DockerEngine();
let containerId = '';

// PID 1 forks a child that exits at once and is never waited for (a zombie), and a sleeping child.
const PROGRAM = [
  'import os, subprocess, time',
  'if os.fork() == 0: os._exit(0)',
  'subprocess.Popen(["sleep", "300"])',
  'print("ready", flush=True)',
  'time.sleep(300)',
].join('\n');

before(async () => {
  containerId = await engine.create({
    labels: { runId: newRunId(), owner: `test-sampler-${process.pid}`, expiresAt: Date.now() + 120_000 },
    image: 'lab/node',
    command: ['python3', '-c', PROGRAM],
    settings: { env: {}, restart: { policy: 'no' }, init: false },
    limits: runLimitsFor(),
  });
  await engine.start(containerId);
});

after(async () => {
  await engine.removeContainer(containerId);
});

describe('process samplers', () => {
  test('/proc: in-container PIDs, parents, full command lines and zombies', async () => {
    const { pid } = await engine.inspect(containerId);
    const file = cgroupProcsFile(pid);
    assert.ok(file, 'the container cgroup is readable on this host');
    const sampler = new ProcSampler(file);
    // Sample until the forked child has become a zombie and the other child has exec'd sleep: right
    // after start, one can still be exiting (R) and the other between fork and exec.
    const processes = await waitFor(
      async () => {
        const list = await sampler.sample();
        return list.some((p) => p.state === 'Z') && list.some((p) => p.command === 'sleep 300') && list;
      },
      { timeoutMs: 5_000, what: 'a zombie and sleep 300 in the sample', intervalMs: 100 },
    );
    const pid1 = processes.find((p) => p.pid === 1);
    assert.ok(pid1, 'PID 1 is listed');
    assert.equal(pid1.ppid, 0);
    assert.match(pid1.command, /^python3 -c import os/);
    assert.equal(pid1.hostPid, pid);
    const zombie = processes.find((p) => p.state === 'Z');
    assert.ok(zombie, `a zombie is listed: ${JSON.stringify(processes)}`);
    assert.equal(zombie.ppid, 1);
    assert.equal(zombie.command, '[python3]');
    const sleep = processes.find((p) => p.command === 'sleep 300');
    assert.ok(sleep && sleep.ppid === 1 && sleep.pid > 1);
  });

  test('/proc: a process that released its command line keeps the one read before', async () => {
    // A process on its way out has no command line left; perl can drop its own to show the same.
    const child = spawn('perl', ['-e', '$| = 1; print "ready\\n"; <STDIN>; $0 = ""; print "dropped\\n"; sleep 30'], {
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const said = (word: string) =>
      new Promise<void>((resolve) =>
        child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes(word) && resolve()),
      );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-sampler-'));
    try {
      await said('ready');
      const procs = path.join(dir, 'cgroup.procs');
      fs.writeFileSync(procs, `${child.pid}\n`);
      const sampler = new ProcSampler(procs);
      const command = sampler.sampleSync()[0].command;
      assert.match(command, /^perl -e /);
      const dropped = said('dropped');
      child.stdin.write('\n');
      await dropped;
      assert.match(
        new ProcSampler(procs).sampleSync()[0].command,
        /^\[.*\]$/,
        'a sampler that never saw it shows its name',
      );
      assert.equal(sampler.sampleSync()[0].command, command);
    } finally {
      child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('docker top (remote engines): PID 1 renumbered, parents kept', async () => {
    const sampler = new TopSampler(engine, containerId);
    const processes = await waitFor(
      async () => {
        const list = await sampler.sample();
        return list.some((p) => p.command === 'sleep 300') && list;
      },
      { timeoutMs: 5_000, what: 'sleep 300 in the sample', intervalMs: 100 },
    );
    const pid1 = processes.find((p) => p.pid === 1);
    assert.ok(pid1, `PID 1 is listed: ${JSON.stringify(processes)}`);
    assert.match(pid1.command, /^python3 -c/);
    const sleep = processes.find((p) => p.command === 'sleep 300');
    assert.equal(sleep?.ppid, 1);
  });
});
