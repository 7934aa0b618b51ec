// The kernel's trace of signals, on a real container: docker stop's SIGTERM to a shell as PID 1, which
// passes it on to its child, whose name is made to look like the trace's own fields.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { ProcSampler, cgroupProcsFile } from '../observe/proc-sampler';
import { signalTrace } from '../observe/signal-trace';
import type { EventOf, NewEvent } from '../observe/timeline-event';
import { dockerFromEnv } from '../sandbox/docker-engine';
import { OWNER_LABEL } from '../sandbox/labels';
import { waitFor } from '../testing/wait-for';
import { SignalFollower } from './signal-follower';

test('signals between the processes of a container are traced: who sent which to whom', async () => {
  const trace = signalTrace();
  assert.ok(trace, 'tracefs is mounted by the setup where it can be (root on Linux)');
  assert.ok(fs.existsSync(trace.dir), 'the trace has an instance of its own');
  const docker = dockerFromEnv();
  // A child whose name (its comm, 15 bytes at most) reads like the trace's fields: "x pid=1 grp=1".
  const script =
    'cp /bin/sleep "/tmp/x pid=1 grp=1"; "/tmp/x pid=1 grp=1" 60 & c=$!; trap \'kill -TERM $c; wait $c; exit 0\' TERM; wait $c';
  const container = await docker.createContainer({
    Image: 'lab/node',
    Cmd: ['sh', '-c', script],
    Labels: { [OWNER_LABEL]: `test-signal-trace-${process.pid}` },
    HostConfig: { NetworkMode: 'none' },
  });
  const events: NewEvent[] = [];
  const follower = new SignalFollower(trace, (event) => events.push(event));
  try {
    follower.follow(container.id);
    await container.start();
    const { State } = await container.inspect();
    const sampler = new ProcSampler(cgroupProcsFile(State.Pid)!);
    const processes = await waitFor(
      () => {
        const sampled = sampler.sampleSync();
        return sampled.some((p) => p.exe?.endsWith('/x pid=1 grp=1')) && sampled;
      },
      { timeoutMs: 5_000, what: 'the child to start', intervalMs: 50 },
    );
    follower.sampled(processes);
    const child = processes.find((p) => p.exe?.endsWith('/x pid=1 grp=1'))!;
    await container.stop({ t: 5 });
    await follower.stop();
    const signals = events.filter((event): event is EventOf<'signal'> => event.type === 'signal');
    assert.deepEqual(events[0], { type: 'signal-trace' });
    const toPid1 = signals.find((event) => event.to === 1);
    assert.equal(toPid1?.signal, 'SIGTERM');
    assert.equal(toPid1?.by, 'outside', 'docker stop signals from outside the container');
    const passedOn = signals.find((event) => event.to === child.pid);
    assert.equal(passedOn?.signal, 'SIGTERM');
    assert.equal(passedOn?.by, 'process');
    assert.equal(passedOn?.from, 1, 'the shell as PID 1 passed it on');
    assert.match(passedOn?.toCommand ?? '', /x pid=1 grp=1 60/);
    assert.ok(!signals.some((event) => event.signal === 'SIGKILL'), 'nothing was killed');
    assert.equal((await container.inspect()).State.ExitCode, 0);
  } finally {
    await follower.stop();
    await container.remove({ force: true });
  }
});
