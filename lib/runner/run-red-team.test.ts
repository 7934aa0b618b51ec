// The red team on the Run path (what POST /api/runs does with a learner's files, with only a cookie):
// Dockerfiles that would make the engine fetch from the host's loopback, build FROM an image-ID prefix
// or unpack an archive are refused before any build, with their line; the canary is never reached.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startCanaryListener } from '../proxy/red-team-support';
import { DockerEngine } from '../sandbox/docker-engine';
import { labelledResources } from '../sandbox/reaper';
import { inlineExercise } from './inline-exercise';
import { runExercise } from './run-exercise';

const engine = new DockerEngine();
const OWNER = `test-run-red-team-${process.pid}`;
let canary: Awaited<ReturnType<typeof startCanaryListener>>;

before(async () => {
  canary = await startCanaryListener();
});

after(async () => {
  await canary.close();
  assert.deepEqual(await labelledResources(engine.docker, OWNER), { containers: [], images: [] });
});

test('a run refuses what the engine would fetch, resolve or unpack, before any build', async () => {
  const url = canary.url;
  const tarHeader = Buffer.alloc(512);
  tarHeader.write('x.txt', 0);
  tarHeader.write('ustar', 257);
  const cases: [string, string, RegExp, { name: string; content: string }[]?][] = [
    ['ENV then ADD $U', `FROM lab/node\nENV U=${url}\nADD $U /x\nCMD ["true"]\n`, /Dockerfile:3: /],
    ['quotes', `FROM lab/node\nADD "${url.slice(0, 5)}"${url.slice(5)} /x\nCMD ["true"]\n`, /Dockerfile:2: .*URL/],
    ['ONBUILD ADD', `FROM lab/node\nONBUILD ADD ${url} /x\nCMD ["true"]\n`, /Dockerfile:2: /],
    [
      'FROM a number after three stages',
      'FROM lab/node AS a\nFROM lab/node AS b\nFROM lab/node AS c\nFROM 02\nCMD ["true"]\n',
      /Dockerfile:4: /,
    ],
    [
      'ADD of an archive',
      'FROM lab/node\nADD notes.txt /x/\nCMD ["true"]\n',
      /Dockerfile:2: ADD would unpack notes\.txt/,
      [{ name: 'notes.txt', content: tarHeader.toString('latin1') }],
    ],
  ];
  for (const [what, dockerfile, expected, more = []] of cases) {
    const exercise = inlineExercise(
      {
        scenarios: [{ id: 'main', description: 'run', actions: [{ do: 'wait', ms: 100 }] }],
        checks: [{ id: 'c', title: 'c', scenario: 'main', hint: 'h', assert: { type: 'exit-code', codes: [0] } }],
      },
      [{ name: 'Dockerfile', content: dockerfile }, ...more],
    );
    const outcome = await runExercise({ engine, exercise, files: exercise.starter, owner: OWNER });
    const build = outcome.checks[0];
    assert.equal(build.status, 'fail', `${what}: ${build.message}`);
    assert.match(build.message, expected, `${what}: the line is named`);
    assert.ok(!outcome.timeline.events().some((event) => event.type === 'build-start'), `${what}: nothing was built`);
  }
  assert.deepEqual(canary.hits, [], 'the engine never fetched the canary');
});

test('a build that prints without end keeps a bounded log in the run', async () => {
  const exercise = inlineExercise(
    {
      scenarios: [{ id: 'main', description: 'run', actions: [{ do: 'wait', ms: 100 }] }],
      checks: [{ id: 'c', title: 'c', scenario: 'main', hint: 'h', assert: { type: 'exit-code', codes: [0] } }],
    },
    [
      {
        name: 'Dockerfile',
        content: `FROM lab/node\nENV NONCE=${process.pid}-${Date.now()}\nRUN yes "$(head -c 300 /dev/zero | tr '\\0' x)" | head -c 8000000\nRUN head -c 3000000 /dev/zero | tr '\\0' y\nCMD ["true"]\n`,
      },
    ],
  );
  const outcome = await runExercise({ engine, exercise, files: exercise.starter, owner: OWNER });
  const log = outcome.timeline
    .events()
    .filter((event) => event.type === 'build-output')
    .map((event) => (event as { text: string }).text);
  const bytes = log.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);
  assert.ok(bytes < 300 * 1024, `the run kept ${bytes} bytes of build log`);
  assert.ok(
    log.some((line) => /the rest is not kept/.test(line)),
    'and says it cut it',
  );
  assert.ok(
    log.every((line) => line.length <= 64 * 1024 + 1),
    'no line past the longest kept',
  );
});
