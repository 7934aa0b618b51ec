import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inlineExercise } from '../runner/inline-exercise';
import type { BuildExercise, Lesson } from './curriculum';
import { EXAMPLE_SCENARIO, exampleDockerfile, exampleExerciseSpec, ExampleSpecSchema, loadLessonExamples, parseLessonExamples } from './lesson-examples';

const FENCE = '```';

/** A lesson with one build exercise whose starter has a Dockerfile, server.js and worker.js. */
const LESSON: Pick<Lesson, 'slug' | 'exercises'> = {
  slug: 'demo',
  exercises: [
    {
      kind: 'build',
      id: 'demo/ex',
      lessonSlug: 'demo',
      name: 'ex',
      dir: '',
      starter: [
        { name: 'Dockerfile', content: 'FROM lab/node\nCMD ["node", "server.js"]\n' },
        { name: 'server.js', content: 'setInterval(() => {}, 1000);\n' },
        { name: 'worker.js', content: 'console.log("worker");\n' },
      ],
    } as unknown as BuildExercise,
  ],
};

function parse(text: string) {
  return parseLessonExamples(text, LESSON);
}

test('an example takes the blocks that follow its comment as its files, with prose between them', () => {
  const text = [
    '# Title',
    '',
    '<!-- example: {"files": ["worker.js", "Dockerfile"], "stop": 4, "expect": {"pid1": "node worker.js", "exitCode": 137}} -->',
    `${FENCE}js`,
    'setInterval(() => {}, 500);',
    FENCE,
    '',
    'Some prose, then the image:',
    '',
    `${FENCE}dockerfile`,
    'FROM lab/node',
    'COPY worker.js .',
    'CMD ["node", "worker.js"]',
    FENCE,
  ].join('\n');
  const { examples, problems } = parse(text);
  assert.deepEqual(problems, []);
  assert.equal(examples.length, 1);
  const [example] = examples;
  assert.equal(example.id, 'demo/lesson.md:3');
  assert.deepEqual(example.files.map((file) => file.name), ['Dockerfile', 'worker.js']);
  assert.equal(example.files[0].content, 'FROM lab/node\nCOPY worker.js .\nCMD ["node", "worker.js"]\n', 'a Dockerfile with FROM is used as shown');
  assert.equal(example.files[1].content, 'setInterval(() => {}, 500);\n');
});

test('a Dockerfile fragment is completed, and files the example does not show come from the exercise', () => {
  const text = ['<!-- example: {"exercise": "ex", "expect": {"pid1": "sh -c node server.js & sleep infinity"}} -->', '', `${FENCE}dockerfile`, 'CMD ["sh", "-c", "node server.js & sleep infinity"]', FENCE].join('\n');
  const { examples, problems } = parse(text);
  assert.deepEqual(problems, []);
  assert.deepEqual(examples[0].files.map((file) => file.name), ['Dockerfile', 'server.js', 'worker.js'], 'never the exercise Dockerfile');
  assert.equal(examples[0].files[0].content, 'FROM lab/node\nWORKDIR /app\nCOPY server.js worker.js ./\nCMD ["sh", "-c", "node server.js & sleep infinity"]\n');
});

test('cmd makes the Dockerfile: a string is the shell form, an array the exec form', () => {
  const spec = (raw: object) => ExampleSpecSchema.parse({ files: [], expect: { exitCode: 0 }, ...raw });
  assert.equal(exampleDockerfile(spec({ cmd: 'node server.js' }), undefined, ['server.js']), 'FROM lab/node\nWORKDIR /app\nCOPY server.js ./\nCMD node server.js\n');
  assert.equal(exampleDockerfile(spec({ cmd: ['node', 'server.js'] }), undefined, []), 'FROM lab/node\nWORKDIR /app\nCMD ["node","server.js"]\n');
  assert.equal(
    exampleDockerfile(spec({ entrypoint: ['/app/entrypoint.sh'] }), undefined, ['entrypoint.sh']),
    'FROM lab/node\nWORKDIR /app\nCOPY entrypoint.sh ./\nENTRYPOINT ["/app/entrypoint.sh"]\n',
  );
});

test('mistakes in example comments are problems that name the line', () => {
  const block = [`${FENCE}sh`, 'echo', FENCE];
  const cases: [string[], RegExp][] = [
    [['<!-- example: {"expect": {"pid1": "x"} -->', ...block], /lesson\.md:1: the example comment is not JSON/],
    [['<!-- example: {"files": [], "expect": {"pid1": "x"}} -->', ...block], /lesson\.md:1: .*Dockerfile is either one of the files shown or made from cmd/],
    [['<!-- example: {"expect": {"running": true}} -->', ...block], /lesson\.md:1: .*at least pid1 or exitCode/],
    [['<!-- example: {"expect": {"pid1": "x"}, "extra": 1} -->', ...block], /lesson\.md:1: .*extra/],
    [['<!-- example: {"expect": {"pid1": "x"}} -->', '', 'prose first', ...block], /lesson\.md:1: an example comment stands right before the code block/],
    [['<!-- example: {"files": ["a.js", "Dockerfile"], "expect": {"pid1": "x"}} -->', ...block], /lesson\.md:1: files names 2 code block\(s\), but only 1 follow/],
    [['<!-- example: {"exercise": "nope", "expect": {"pid1": "x"}} -->', ...block], /lesson\.md:1: exercise nope is not a build exercise of lesson demo/],
    [['<!-- example: {"files": [], "cmd": "x", "stop": 4, "expect": {"exitCode": 0}} -->', ...block], /stop and exec act on a running container/],
  ];
  for (const [lines, expected] of cases) {
    const { examples, problems } = parse(lines.join('\n'));
    assert.equal(examples.length, 0, lines[0]);
    assert.equal(problems.length >= 1, true, lines[0]);
    assert.match(problems.join('\n'), expected);
  }
});

test('a comment inside a code block is code, not an example', () => {
  const text = [`${FENCE}markdown`, '<!-- example: {"expect": {"pid1": "x"}} -->', FENCE].join('\n');
  assert.deepEqual(parse(text), { examples: [], problems: [] });
});

test('the claims become a scenario and checks that the exercise schema accepts', () => {
  const text = [
    '<!-- example: {"files": [], "cmd": ["sh", "-c", "node server.js"], "exercise": "ex", "run": {"restart": "on-failure:3", "init": true}, "ready": "up", "stop": 4,',
    '  "expect": {"pid1": "sh -c node server.js", "children": ["node server.js"], "exitCode": 137, "exitWithinMs": 6000, "restarts": 0}} -->',
    `${FENCE}sh`,
    'docker exec my-api ps',
    FENCE,
  ].join('\n');
  const { examples, problems } = parse(text);
  assert.deepEqual(problems, []);
  const spec = exampleExerciseSpec(examples[0]);
  const exercise = inlineExercise(spec, examples[0].files, 'demo/example-1');
  const [scenario] = exercise.spec.scenarios;
  assert.equal(scenario.id, EXAMPLE_SCENARIO);
  assert.deepEqual(scenario.run, { env: {}, restart: { policy: 'on-failure', maxRetries: 3 }, init: true });
  assert.deepEqual(scenario.actions.map((action) => action.id), ['up-1', 'up-2', 'ready', 'observe', 'stop', 'exit']);
  assert.deepEqual(exercise.spec.checks.map((check) => check.id), ['pid1', 'child-1', 'no-other-process', 'ready', 'exit-code', 'exit-within', 'restarts']);
  const byId = Object.fromEntries(exercise.spec.checks.map((check) => [check.id, check.assert]));
  assert.deepEqual(byId.pid1, { type: 'pid1-command', matches: '^sh -c node server\\.js$', at: 'observe' });
  assert.deepEqual(byId['exit-within'], { type: 'exited-within', after: 'stop', withinMs: 6000, codes: [137] });
  const others = new RegExp((byId['no-other-process'] as { matches: string }).matches);
  assert.equal(others.test('sh -c node server.js'), false);
  assert.equal(others.test('node server.js'), false);
  assert.equal(others.test('sleep infinity'), true);
});

test('a respawn after exec is waited for as a new process and checked', () => {
  const text = [
    '<!-- example: {"files": [], "cmd": "supervisord", "exercise": "ex", "ready": "RUNNING", "exec": ["pkill", "-x", "node"], "expect": {"pid1": "supervisord", "respawned": ["node server.js"], "running": true}} -->',
    `${FENCE}sh`,
    'docker exec my-api pkill -x node',
    FENCE,
  ].join('\n');
  const { examples, problems } = parse(text);
  assert.deepEqual(problems, []);
  const spec = exampleExerciseSpec(examples[0]);
  assert.deepEqual(spec.scenarios[0].actions.map((action) => action.id), ['up-1', 'ready', 'exec', 'respawn-1', 'observe']);
  assert.deepEqual(spec.scenarios[0].actions[3], { id: 'respawn-1', do: 'wait-for-process', match: '^node server\\.js$', new: true, timeoutMs: 10_000 });
  assert.deepEqual(spec.checks.find((check) => check.id === 'respawned-1')?.assert, { type: 'process-respawned', matches: '^node server\\.js$', after: 'exec', withinMs: 10_000 });
  assert.match(parse(text.replace(', "exec": ["pkill", "-x", "node"]', '')).problems.join('\n'), /execExitCode and respawned need exec/);
});

test('an example that only exits is timed from its start', () => {
  const text = ['<!-- example: {"files": ["main.py"], "cmd": ["python3", "main.py"], "expect": {"exitCode": 0, "exitWithinMs": 2000}} -->', `${FENCE}python`, 'print(1)', FENCE].join('\n');
  const spec = exampleExerciseSpec(parse(text).examples[0]);
  assert.deepEqual(spec.scenarios[0].actions.map((action) => action.id), ['exit']);
  assert.deepEqual(spec.checks.find((check) => check.id === 'exit-within')?.assert, { type: 'exited-within', after: 'exit', withinMs: 2000, codes: [0] });
});

test('the lessons of this checkout have runnable examples without problems, at least one per lesson', () => {
  const { examples, problems } = loadLessonExamples();
  assert.deepEqual(problems, []);
  const perLesson = new Map<string, number>();
  for (const example of examples) perLesson.set(example.lessonSlug, (perLesson.get(example.lessonSlug) ?? 0) + 1);
  for (const slug of ['main-process-exit', 'never-daemonize', 'pid1-signals']) assert.ok((perLesson.get(slug) ?? 0) >= 1, slug);
  assert.equal(new Set(examples.map((example) => example.id)).size, examples.length);
  for (const example of examples) {
    const exercise = inlineExercise(exampleExerciseSpec(example), example.files, `${example.lessonSlug}/example-${example.line}`);
    assert.ok(exercise.spec.checks.some((check) => ['pid1', 'exit-code'].includes(check.id)), example.id);
  }
});
