// Incidents on the real engine: every kind of incident produces the observed truth it claims (PID 1,
// exit code, OOMKilled), as the learner's `my-api` with the terminal's labels and the sandbox limits;
// the same seed stages the same incident; an incident that misbehaves is a platform error; nothing is
// left behind.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { engineContainerName, engineImageRef, scopeOf, STAGED_LABEL, terminalLabels } from '../proxy/scope';
import { DockerEngine } from '../sandbox/docker-engine';
import { EXPIRES_LABEL, labelsFor } from '../sandbox/labels';
import { RUN_LIMITS } from '../sandbox/limits';
import { labelledResources } from '../sandbox/reaper';
import { planIncident, type IncidentPlan } from './incident-plan';
import { IncidentError, incidentLabels, stageIncident } from './stage-incident';

const engine = new DockerEngine();
const OWNER = `test-incidents-${process.pid}`;
const scope = scopeOf(OWNER);

/** The first seed whose plan fits, so that each kind of incident is staged whatever the catalogue's order. */
function seedWhere(fits: (plan: IncidentPlan) => boolean): number {
  for (let seed = 0; seed < 5000; seed++) if (fits(planIncident(seed))) return seed;
  throw new Error('no seed fits');
}
const dockerfileOf = (plan: IncidentPlan) => plan.files.find((file) => file.name === 'Dockerfile')!.content;

const KINDS: [string, (plan: IncidentPlan) => boolean][] = [
  ['a config error, node as PID 1', (p) => p.cause === 'config-error' && p.expected.pid1Command.startsWith('node ')],
  [
    'a config error under a shell-form CMD',
    (p) => p.cause === 'config-error' && p.expected.pid1Command.startsWith('/bin/sh -c'),
  ],
  ['a crash, node as ENTRYPOINT', (p) => p.cause === 'crashed' && dockerfileOf(p).includes('ENTRYPOINT ["node"]')],
  [
    'a wrapper script as CMD that swallows the code',
    (p) => p.cause === 'exit-code-swallowed' && p.expected.pid1Command.startsWith('/bin/sh /app/'),
  ],
  [
    'an entrypoint script that swallows the code',
    (p) => p.cause === 'exit-code-swallowed' && p.expected.pid1Command.includes('docker-entrypoint.sh'),
  ],
  ['an OOM kill, node as PID 1', (p) => p.cause === 'oom-killed' && p.expected.pid1Command.startsWith('node ')],
  [
    'an OOM kill under a shell-form CMD',
    (p) => p.cause === 'oom-killed' && p.expected.pid1Command.startsWith('/bin/sh -c'),
  ],
  ['docker kill of a healthy server', (p) => p.killAfter !== undefined],
  ...(
    [
      ['a CMD naming a program the image lacks', 127, /^[a-z0-9-]+( |$)/],
      ['a CMD naming a mistyped script', 127, /\//],
      ['a CMD naming a script without its executable bit', 126, /./],
    ] as const
  ).map(([what, code, pid1]): [string, (plan: IncidentPlan) => boolean] => [
    `${what}: Docker refuses the start (${code})`,
    (p) => p.expected.startRefused === true && p.expected.exitCode === code && pid1.test(p.expected.pid1Command),
  ]),
  ...[127, 126].map((code): [string, (plan: IncidentPlan) => boolean] => [
    `an entrypoint script that execs a CMD it cannot run (${code})`,
    (p) => p.cause === 'command-not-runnable' && !p.expected.startRefused && p.expected.exitCode === code,
  ]),
  [
    'a daemon that forks away, node as PID 1',
    (p) => p.cause === 'daemonized' && p.expected.pid1Command.startsWith('node'),
  ],
  [
    'a daemon that forks away under a shell-form CMD',
    (p) => p.cause === 'daemonized' && p.expected.pid1Command.startsWith('/bin/sh -c'),
  ],
  [
    'docker stop of a server whose SIGTERM handler never finishes',
    (p) => p.cause === 'stop-timed-out' && p.expected.pid1Command.startsWith('node'),
  ],
  [
    'docker stop of a script that traps SIGTERM and waits',
    (p) => p.cause === 'stop-timed-out' && p.expected.pid1Command.startsWith('/bin/sh'),
  ],
  ...[143, 137, 134, 139].map((code): [string, (plan: IncidentPlan) => boolean] => [
    `a signal raised under tini (${code})`,
    (p) => p.cause === 'killed-by-signal' && p.expected.pid1Command.startsWith('tini') && p.expected.exitCode === code,
  ]),
];

after(async () => {
  assert.deepEqual(
    await labelledResources(engine.docker, OWNER),
    { containers: [], images: [] },
    'every incident of these tests is removed',
  );
});

describe('incidents on the real engine', { timeout: 360_000 }, () => {
  for (const [kind, fits] of KINDS) {
    test(`${kind}: the truth observed is what the plan claims`, async () => {
      const plan = planIncident(seedWhere(fits));
      const incident = await stageIncident({ engine, plan, owner: OWNER });
      try {
        const { truth } = incident;
        const { pid1Command, exitCode, oomKilled } = plan.expected;
        assert.deepEqual(
          { cause: truth.cause, pid1Command: truth.pid1Command, exitCode: truth.exitCode, oomKilled: truth.oomKilled },
          { cause: plan.cause, pid1Command, exitCode, oomKilled },
          `seed ${plan.seed}`,
        );
        // The engine's own record of the stopped container says the same, under the learner's names.
        const info = await engine.docker.getContainer(engineContainerName(scope, 'my-api')).inspect();
        assert.equal(info.Id, incident.containerId);
        assert.equal(info.State.Running, false);
        assert.equal(info.State.ExitCode, truth.exitCode);
        assert.equal(info.State.OOMKilled, truth.oomKilled);
        assert.deepEqual([info.Path, ...info.Args], truth.startedCommand);
        assert.equal(info.Config.Image, engineImageRef(scope, `my-api:${plan.version}`));
        assert.equal(incident.image, `my-api:${plan.version}`);
        const { [EXPIRES_LABEL]: expires, ...labels } = info.Config.Labels;
        const { [EXPIRES_LABEL]: terminalExpires, ...expected } = terminalLabels(scope);
        assert.deepEqual(Object.fromEntries(Object.entries(labels).filter(([key]) => key in expected)), expected);
        assert.ok(Math.abs(Number(expires) - Number(terminalExpires)) < 60_000);
        assert.equal(info.HostConfig.NetworkMode, 'none');
        assert.equal(info.HostConfig.Memory, (plan.memoryMb ?? RUN_LIMITS.memoryBytes / 1024 / 1024) * 1024 * 1024);
        assert.deepEqual(info.HostConfig.CapDrop, ['ALL']);
        // A refused start: the container stays created, and Docker says why; PID 1 never ran.
        assert.equal(info.State.Status, plan.expected.startRefused ? 'created' : 'exited');
        assert.equal(Boolean(info.State.Error), Boolean(plan.expected.startRefused), info.State.Error);
        if (plan.expected.startRefused) assert.deepEqual(truth.otherCommands, []);
        if (plan.expected.sentSignals) {
          assert.deepEqual(
            truth.signals?.map((event) => event.signal),
            plan.expected.sentSignals,
            "Docker's signals to PID 1",
          );
        }
        if (plan.stopAfter) {
          const [term, kill] = truth.signals!;
          assert.ok(kill.time - term.time >= plan.stopAfter.timeoutSec * 1000 - 50, 'SIGKILL after the grace period');
        }
        if (plan.cause === 'exit-code-swallowed' || truth.pid1Command.startsWith('tini')) {
          assert.ok(
            truth.otherCommands.some((command) => command.startsWith('node ')),
            `the application under PID 1 was seen: ${truth.otherCommands}`,
          );
        }
      } finally {
        await incident.remove();
      }
      await assert.rejects(engine.docker.getContainer(incident.containerId).inspect(), /no such container/i);
    });
  }

  test('the same seed stages the same incident, and a new incident replaces the previous one', async () => {
    const seed = seedWhere((p) => p.cause === 'exit-code-swallowed');
    const first = await stageIncident({ engine, plan: planIncident(seed), owner: OWNER });
    const second = await stageIncident({ engine, plan: planIncident(seed), owner: OWNER });
    try {
      const { otherCommands: _a, ...one } = first.truth;
      const { otherCommands: _b, ...two } = second.truth;
      assert.deepEqual(two, one);
      assert.notEqual(second.containerId, first.containerId);
      await assert.rejects(
        engine.docker.getContainer(first.containerId).inspect(),
        /no such container/i,
        'the first my-api was removed',
      );
    } finally {
      await first.remove();
      await second.remove();
    }
  });

  test('an incident that does not behave as planned is a platform error, and nothing of it is left', async () => {
    const plan = planIncident(seedWhere((p) => p.cause === 'config-error'));
    const wrong = { ...plan, expected: { ...plan.expected, exitCode: 99 } };
    await assert.rejects(stageIncident({ engine, plan: wrong, owner: OWNER }), (error: Error) => {
      assert.ok(error instanceof IncidentError);
      assert.match(
        error.message,
        new RegExp(`did not happen as designed: the exit code was ${plan.expected.exitCode}, not 99`),
      );
      return true;
    });
    assert.deepEqual(await labelledResources(engine.docker, OWNER), { containers: [], images: [] });
  });

  test('an OOM kill whose flag the engine dropped is staged once more, and the first container is removed', async () => {
    // The engine has been seen under load to record a memory kill (137) without State.OOMKilled; it
    // cannot be made to on demand, so this engine drops the flag from the first exited container it reads.
    class FlagDroppingEngine extends DockerEngine {
      dropped = '';
      override async inspect(containerId: string) {
        const state = await super.inspect(containerId);
        if (state.running || !state.oomKilled || (this.dropped && this.dropped !== containerId)) return state;
        this.dropped = containerId;
        return { ...state, oomKilled: false };
      }
    }
    const dropping = new FlagDroppingEngine();
    const plan = planIncident(seedWhere((p) => p.cause === 'oom-killed'));
    const incident = await stageIncident({ engine: dropping, plan, owner: OWNER });
    try {
      assert.ok(dropping.dropped, 'the first container was read without its flag');
      assert.notEqual(incident.containerId, dropping.dropped);
      assert.equal(incident.truth.oomKilled, true);
      assert.equal(incident.truth.exitCode, 137);
      await assert.rejects(engine.docker.getContainer(dropping.dropped).inspect(), /no such container/i);
    } finally {
      await incident.remove();
    }
  });

  test('a container that does not stop by the deadline is a platform error, and it is removed', async () => {
    const plan = planIncident(0);
    const endless = { ...plan, files: [{ name: 'Dockerfile', content: 'FROM lab/node\nCMD ["sleep", "infinity"]\n' }] };
    const started = Date.now();
    await assert.rejects(
      stageIncident({ engine, plan: endless, owner: OWNER, exitDeadlineMs: 1500 }),
      /still running after 1500 ms/,
    );
    assert.ok(Date.now() - started < 15_000);
    assert.deepEqual(await labelledResources(engine.docker, OWNER), { containers: [], images: [] });
  });

  test("incident labels are the terminal's labels, marked as staged", () => {
    const now = Date.now();
    assert.deepEqual(labelsFor(incidentLabels(scope, now)), { ...terminalLabels(scope, now), [STAGED_LABEL]: '1' });
  });
});
