// Incident plans are pure: the same seed gives the same plan, every cause is reachable, the details
// vary, each plan's files and expectations fit its cause, and the seeds of the first catalogue keep
// their incidents.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkDockerfile } from '../sandbox/dockerfile-rules';
import { checkLearnerFiles } from '../sandbox/learner-files';
import { RUN_LIMITS } from '../sandbox/limits';
import { CAUSES } from './causes';
import { MAX_SEED, planIncident } from './incident-plan';
import { SeededRandom } from './seeded-random';

const SEEDS = Array.from({ length: 300 }, (_, index) => index);
const plans = SEEDS.map(planIncident);

test('the same seed gives the same plan', () => {
  for (const seed of [0, 1, 28, 99_999, MAX_SEED]) assert.deepEqual(planIncident(seed), planIncident(seed));
});

test('seeds outside the range are refused', () => {
  for (const seed of [-1, 1.5, MAX_SEED + 1, Number.NaN]) assert.throws(() => planIncident(seed), /whole number/);
});

test('every cause is staged by some seed, and none dominates', () => {
  for (const cause of CAUSES) {
    const share = plans.filter((plan) => plan.cause === cause).length / plans.length;
    assert.ok(share > 0.1 && share < 0.35, `${cause}: ${(share * 100).toFixed(0)}% of seeds`);
  }
});

test('the details vary from seed to seed within a cause', () => {
  for (const cause of CAUSES) {
    const ofCause = plans.filter((plan) => plan.cause === cause);
    assert.ok(new Set(ofCause.map((plan) => plan.version)).size > 5, `${cause}: versions`);
    assert.ok(new Set(ofCause.map((plan) => plan.expected.pid1Command)).size > 3, `${cause}: PID 1 command lines`);
    assert.ok(
      new Set(ofCause.map((plan) => plan.files.map((file) => file.content).join())).size === ofCause.length,
      `${cause}: files`,
    );
  }
  const codes = (cause: string) =>
    new Set(plans.filter((plan) => plan.cause === cause).map((plan) => plan.expected.exitCode));
  assert.deepEqual([...codes('config-error')].sort(), [1, 2, 78]);
  assert.deepEqual([...codes('crashed')].sort(), [1, 70]);
  assert.deepEqual([...codes('exit-code-swallowed')].sort(), [0, 1]);
  assert.deepEqual([...codes('killed-by-signal')].sort(), [134, 137, 139, 143]);
  assert.deepEqual([...codes('command-not-runnable')].sort(), [126, 127]);
  assert.deepEqual([...codes('daemonized')], [0]);
  assert.deepEqual([...codes('stop-timed-out')], [137]);
  const stops = plans.flatMap((plan) => (plan.stopAfter ? [plan.stopAfter.timeoutSec] : []));
  assert.deepEqual([...new Set(stops)].sort(), [2, 3, 4, 5, 6], 'the grace period of docker stop varies');
});

test('seeds staged before the later causes were added keep their incident', () => {
  // The seeds the lessons' cases and the docs name, with what they staged then.
  const kept: [number, string, string, number][] = [
    [1, 'crashed', 'node server.js', 70],
    [2, 'config-error', 'node index.js', 78],
    [8, 'killed-by-signal', 'node main.js', 137],
    [9, 'oom-killed', '/bin/sh -c node main.js', 137],
    [21, 'killed-by-signal', 'tini -- node index.js', 134],
    [28, 'exit-code-swallowed', '/bin/sh /app/start.sh', 0],
  ];
  for (const [seed, cause, pid1Command, exitCode] of kept) {
    const plan = planIncident(seed);
    assert.deepEqual([plan.cause, plan.expected.pid1Command, plan.expected.exitCode], [cause, pid1Command, exitCode]);
  }
});

test('a command that cannot be run: refused by Docker, or by the shell of an entrypoint script', () => {
  const ofCause = plans.filter((plan) => plan.cause === 'command-not-runnable');
  const refused = ofCause.filter((plan) => plan.expected.startRefused);
  const scripted = ofCause.filter((plan) => !plan.expected.startRefused);
  assert.ok(refused.length > 10 && scripted.length > 5);
  for (const plan of refused) {
    const dockerfile = plan.files.find((file) => file.name === 'Dockerfile')!.content;
    // What Docker tries to start is named in the Dockerfile, entrypoint first.
    const [program, ...args] = plan.expected.pid1Command.split(' ');
    assert.ok(dockerfile.includes(`"${program}"`) && args.every((arg) => dockerfile.includes(`"${arg}"`)));
    if (plan.expected.exitCode === 126) assert.match(dockerfile, /^RUN chmod /m, 'the executable bit is taken away');
    else assert.ok(!plan.files.some((file) => file.name === program.replace(/^.*\//, '')), 'not in the image');
  }
  for (const plan of scripted) {
    assert.match(plan.expected.pid1Command, /^\/bin\/sh \/usr\/local\/bin\/docker-entrypoint\.sh \S/);
    assert.ok([126, 127].includes(plan.expected.exitCode));
  }
});

test('a daemon that forks away, and a stop that times out, are played as planned', () => {
  for (const plan of plans.filter((p) => p.cause === 'daemonized')) {
    const app = plan.files.find((file) => file.name.endsWith('.js'))!.content;
    assert.match(app, /detached: true/);
    assert.equal(plan.stopAfter ?? plan.killAfter, undefined);
  }
  for (const plan of plans.filter((p) => p.cause === 'stop-timed-out')) {
    assert.deepEqual(plan.expected.sentSignals, ['SIGTERM', 'SIGKILL']);
    assert.equal(plan.killAfter, undefined);
    assert.ok(plan.stopAfter && plan.stopAfter.delayMs >= 300, `seed ${plan.seed}`);
    // The log shows the SIGTERM arriving: a handler or a trap says so.
    assert.ok(
      plan.files.some((file) => /SIGTERM received|SIGTERM ignored/.test(file.content)),
      `seed ${plan.seed}`,
    );
  }
});

test('each plan expects what its cause means', () => {
  for (const plan of plans) {
    const { exitCode, oomKilled, pid1Command } = plan.expected;
    assert.equal(oomKilled, plan.cause === 'oom-killed', `seed ${plan.seed}`);
    if (plan.cause === 'oom-killed') {
      assert.equal(exitCode, 137);
      assert.ok(
        plan.memoryMb && plan.memoryMb * 1024 * 1024 < RUN_LIMITS.memoryBytes,
        'a tighter memory limit than the sandbox',
      );
    } else {
      assert.equal(plan.memoryMb, undefined, `seed ${plan.seed}: the sandbox's memory limit`);
    }
    if (plan.cause === 'exit-code-swallowed') {
      assert.match(pid1Command, /^\/bin\/sh \/.*\.sh\b/, 'a script is PID 1');
      assert.ok(
        plan.appExitCode !== undefined && plan.appExitCode !== exitCode,
        'the application exits with another code than the container',
      );
    } else {
      assert.equal(plan.appExitCode, undefined);
    }
    if (plan.cause === 'killed-by-signal' || plan.cause === 'stop-timed-out') assert.ok(exitCode > 128);
    else if (plan.cause !== 'oom-killed') assert.ok(exitCode < 128);
    assert.equal(plan.killAfter !== undefined, plan.cause === 'killed-by-signal' && !pid1Command.startsWith('tini'));
    assert.equal(plan.stopAfter !== undefined, plan.cause === 'stop-timed-out');
    assert.equal(
      plan.expected.startRefused === true,
      plan.cause === 'command-not-runnable' && !/^\/bin\/sh /.test(pid1Command),
    );
  }
});

test("each plan's files pass the checks a learner's files get", () => {
  for (const plan of plans) {
    assert.deepEqual(checkLearnerFiles(plan.files), [], `seed ${plan.seed}`);
    const dockerfile = plan.files.find((file) => file.name === 'Dockerfile')!;
    assert.match(dockerfile.content, /^FROM lab\/node\n/);
    assert.deepEqual(checkDockerfile(dockerfile.content, ['lab/node']), [], `seed ${plan.seed}`);
  }
});

test('SeededRandom stays in range and reaches every item', () => {
  const random = new SeededRandom(7);
  const seen = new Set<number>();
  for (let i = 0; i < 1000; i++) {
    const value = random.int(3, 9);
    assert.ok(value >= 3 && value <= 9 && Number.isInteger(value));
    seen.add(value);
    const fraction = random.next();
    assert.ok(fraction >= 0 && fraction < 1);
  }
  assert.equal(seen.size, 7);
  assert.throws(() => random.pick([]), /nothing to pick/);
  assert.throws(() => new SeededRandom(0.5), /integer/);
});
