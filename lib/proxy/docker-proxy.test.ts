// The Docker API proxy against the real engine, driven by the real docker CLI: the source material's
// commands work verbatim and print what Docker prints; one learner cannot see or touch another's
// containers and images.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { waitFor } from '../testing/wait-for';
import { ALICE, BOB, cli, dir, ok, proxiesFor } from './docker-proxy-fixtures';
import { engineContainerName, scopeOf } from './scope';

proxiesFor([ALICE, BOB]);

describe('the seed commands through the proxy', () => {
  test('build, run, exec, inspect, logs work verbatim and print what Docker prints', async () => {
    const built = await ok(cli(ALICE, ['build', '-t', 'my-api:1.4.0', '.']));
    assert.match(
      built,
      /Step 4\/4 : CMD \["node", "server.js"\]/,
      "the steps are the learner's, the lab's label step is not shown",
    );
    assert.match(built, /Successfully tagged my-api:1\.4\.0/);
    assert.doesNotMatch(built, /learner-|lab\.owner/);

    const id = (await ok(cli(ALICE, ['run', '-d', '--name', 'my-api', 'my-api:1.4.0']))).trim();
    assert.match(id, /^[0-9a-f]{64}$/);
    const engineName = engineContainerName(scopeOf(ALICE), 'my-api');

    const ps = await ok(cli(ALICE, ['exec', 'my-api', 'ps', 'aux']));
    const direct = await ok(cli(null, ['exec', engineName, 'ps', 'aux']));
    assert.equal(ps.split('\n')[0], direct.split('\n')[0], 'the same ps header');
    assert.match(ps, /^\S+\s+1\s.*node server\.js$/m, 'node server.js is PID 1');

    const format = '{{.Config.Cmd}} {{.State.ExitCode}}';
    assert.equal(await ok(cli(ALICE, ['inspect', 'my-api', '--format', format])), '[node server.js] 0\n');
    assert.equal(await ok(cli(ALICE, ['inspect', 'my-api', '--format', '{{.Name}} {{.Id}}'])), `/my-api ${id}\n`);

    // Logs are written when node starts: wait for the line rather than for a fixed time.
    const logs = await waitFor(
      async () => {
        const text = await ok(cli(ALICE, ['logs', 'my-api', '--tail', '50']));
        return text.includes('my-api listening') && text;
      },
      { timeoutMs: 5_000, what: "my-api's line in its logs", intervalMs: 100 },
    );
    assert.equal(logs, await ok(cli(null, ['logs', engineName, '--tail', '50'])));
    assert.equal(logs, 'my-api listening\n');

    const listed = await ok(cli(ALICE, ['ps', '--format', '{{.ID}} {{.Image}} {{.Names}}']));
    assert.equal(listed, `${id.slice(0, 12)} my-api:1.4.0 my-api\n`);
  });

  test('run --restart=on-failure, tag, top, diff, port, wait, stop, kill, restart, rm, rmi, images', async () => {
    await ok(cli(ALICE, ['tag', 'my-api:1.4.0', 'my-api']));
    assert.match(await ok(cli(ALICE, ['images', '--format', '{{.Repository}}:{{.Tag}}'])), /^my-api:1\.4\.0$/m);
    const restarting = (await ok(cli(ALICE, ['run', '-d', '--restart=on-failure', 'my-api']))).trim();
    assert.equal(
      await ok(cli(ALICE, ['inspect', restarting.slice(0, 8), '--format', '{{.HostConfig.RestartPolicy.Name}}'])),
      'on-failure\n',
    );
    assert.match(await ok(cli(ALICE, ['top', restarting.slice(0, 12)])), /node server\.js/);
    await ok(cli(ALICE, ['diff', restarting]));
    await ok(cli(ALICE, ['port', restarting]));
    await ok(cli(ALICE, ['restart', '-t', '1', restarting]));
    await ok(cli(ALICE, ['kill', '-s', 'KILL', restarting]));
    assert.equal(await ok(cli(ALICE, ['wait', restarting])), '137\n');
    await ok(cli(ALICE, ['rm', restarting]));

    const crashed = await cli(ALICE, ['run', '--name', 'crash', 'lab/node', 'sh', '-c', 'echo boom >&2; exit 3']);
    assert.equal(crashed.status, 3, 'docker run returns the exit code of PID 1');
    assert.match(crashed.stderr, /boom/);
    assert.equal(
      await ok(cli(ALICE, ['run', '--rm', '-i', 'lab/node', 'cat'], { input: 'through stdin\n' })),
      'through stdin\n',
    );
    assert.equal(
      await ok(cli(ALICE, ['exec', '-i', 'my-api', 'sh', '-c', 'read line; echo "got $line"'], { input: 'x\n' })),
      'got x\n',
    );
    await ok(cli(ALICE, ['stop', '-t', '1', 'crash']));
    await ok(cli(ALICE, ['rm', 'crash']));
    await ok(cli(ALICE, ['rmi', 'my-api']));
    assert.doesNotMatch(await ok(cli(ALICE, ['images'])), /^my-api\s+latest/m);
  });

  test("events show the learner's containers under their own names", async () => {
    const since = Math.floor(Date.now() / 1000) - 120;
    const events = await ok(
      cli(ALICE, [
        'events',
        '--since',
        String(since),
        '--until',
        String(Math.floor(Date.now() / 1000)),
        '--format',
        '{{.Type}} {{.Action}} {{.Actor.Attributes.name}}',
      ]),
    );
    assert.match(events, /^container start my-api$/m);
    assert.doesNotMatch(events, /lab-[0-9a-f]{12}_/);
  });
});

describe('two learners on one engine', () => {
  test('both may name a container my-api and each sees only their own', async () => {
    const bobs = (await ok(cli(BOB, ['run', '-d', '--name', 'my-api', 'lab/node', 'sleep', '300']))).trim();
    const alices = (await ok(cli(ALICE, ['inspect', 'my-api', '--format', '{{.Id}}']))).trim();
    assert.notEqual(bobs, alices);
    assert.equal(await ok(cli(BOB, ['ps', '-a', '-q', '--no-trunc'])), `${bobs}\n`);
    assert.doesNotMatch(await ok(cli(ALICE, ['ps', '-a', '-q', '--no-trunc'])), new RegExp(bobs));
  });

  test("bob cannot inspect, exec into, stop, kill, remove or read alice's container by name, ID or prefix", async () => {
    const alices = (await ok(cli(ALICE, ['inspect', 'my-api', '--format', '{{.Id}}']))).trim();
    const engineName = engineContainerName(scopeOf(ALICE), 'my-api');
    for (const ref of [alices, alices.slice(0, 12), alices.slice(0, 4), engineName]) {
      for (const args of [
        ['inspect', '--type', 'container', ref],
        ['exec', ref, 'true'],
        ['stop', ref],
        ['kill', ref],
        ['rm', ref],
        ['logs', ref],
        ['top', ref],
        ['restart', ref],
      ]) {
        const result = await cli(BOB, args);
        assert.notEqual(result.status, 0, `bob: docker ${args.join(' ')} must fail`);
        assert.match(result.stderr, /No such container/, `bob: docker ${args.join(' ')}`);
      }
      // The CLI's `rm -f` is silent about a container it cannot find: what matters is that it survives.
      await cli(BOB, ['rm', '-f', ref]);
    }
    assert.equal(
      await ok(cli(ALICE, ['inspect', 'my-api', '--format', '{{.State.Running}}'])),
      'true\n',
      "alice's container still runs",
    );
  });

  test("bob cannot use, tag, remove or build FROM alice's image", async () => {
    const imageId = (
      await ok(cli(ALICE, ['inspect', '--type', 'image', 'my-api:1.4.0', '--format', '{{.Id}}']))
    ).trim();
    for (const ref of ['my-api:1.4.0', imageId, imageId.slice(7, 19), `learner-${scopeOf(ALICE).key}/my-api:1.4.0`]) {
      assert.match((await cli(BOB, ['inspect', '--type', 'image', ref])).stderr, /No such image/);
      assert.match((await cli(BOB, ['tag', ref, 'stolen'])).stderr, /No such image/);
      assert.match((await cli(BOB, ['rmi', ref])).stderr, /No such image/);
    }
    const bobContext = path.join(dir, 'bob');
    fs.mkdirSync(bobContext);
    for (const from of ['my-api:1.4.0', `learner-${scopeOf(ALICE).key}/my-api:1.4.0`, imageId]) {
      fs.writeFileSync(path.join(bobContext, 'Dockerfile'), `FROM ${from}\nCMD ["true"]\n`);
      const result = await cli(BOB, ['build', '-t', 'copy', '.'], { cwd: bobContext });
      assert.notEqual(result.status, 0);
      assert.match(result.stderr, /Dockerfile line 1: FROM .* is not allowed/);
    }
    assert.doesNotMatch(await ok(cli(BOB, ['images'])), /my-api|copy/);
  });

  test("COPY --from= an own image copies from it, a stage of the same name wins, and bob cannot copy from alice's", async () => {
    const stages = path.join(dir, 'stages');
    fs.mkdirSync(stages);
    fs.writeFileSync(path.join(stages, 'Dockerfile'), 'FROM lab/node\nRUN echo from-base > /data\n');
    await ok(cli(ALICE, ['build', '-t', 'base:1', '.'], { cwd: stages }));
    await ok(cli(ALICE, ['tag', 'base:1', 'helper']));
    fs.writeFileSync(
      path.join(stages, 'Dockerfile'),
      [
        'FROM lab/node AS helper',
        'RUN echo from-stage > /data',
        'FROM lab/node',
        'COPY --from=base:1 /data /base',
        'COPY --from=helper /data /stage',
        'CMD ["cat", "/base", "/stage"]',
        '',
      ].join('\n'),
    );
    await ok(cli(ALICE, ['build', '-t', 'copied', '.'], { cwd: stages }));
    assert.equal(await ok(cli(ALICE, ['run', '--rm', 'copied'])), 'from-base\nfrom-stage\n');

    for (const from of ['base:1', `learner-${scopeOf(ALICE).key}/base:1`]) {
      fs.writeFileSync(path.join(stages, 'Dockerfile'), `FROM lab/node\nCOPY --from=${from} /data /data\n`);
      const result = await cli(BOB, ['build', '-t', 'copy', '.'], { cwd: stages });
      assert.notEqual(result.status, 0);
      assert.match(result.stderr, /Dockerfile line 2: COPY --from=.* is not allowed/);
    }
    for (const tag of ['copied', 'helper', 'base:1']) await ok(cli(ALICE, ['rmi', tag]));
  });
});
