// Predictions judged from hand-made timelines: the observed answer of each kind of question, the
// learner's pick beside it, and the runs that never got far enough to answer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PredictionSpecSchema, type PredictionSpec } from '../lessons/prediction-schema';
import { exits, proc, Run, runningWith } from './evaluate-fixtures';
import { judgePredictions, predictionVerdict } from './predictions';

const spec = (raw: unknown): PredictionSpec => PredictionSpecSchema.parse(raw);

const WHO_IS_PID1 = spec({
  id: 'who-is-pid1',
  question: 'Which process will be PID 1?',
  observed: { kind: 'pid1', scenario: 'main', at: 'settled' },
  choices: [
    { id: 'shell', text: 'a shell', when: { pid1: { program: 'sh' } } },
    { id: 'node', text: 'node server.js', when: { pid1: { program: 'node', script: 'server.js' } } },
    { id: 'other', text: 'something else' },
  ],
});

test('pid1: the choice naming the process that was PID 1 at the step', () => {
  const run = runningWith(proc(1, 0, '/bin/sh -c node server.js'), proc(7, 1, 'node server.js'));
  const [outcome] = judgePredictions([WHO_IS_PID1], { 'who-is-pid1': 'node' }, run.events);
  assert.deepEqual(outcome.predicted, { id: 'node', text: 'node server.js' });
  assert.deepEqual(outcome.observed, { id: 'shell', text: 'a shell' });
  assert.equal(outcome.saw, 'PID 1 was "/bin/sh -c node server.js"');
  assert.equal(outcome.evidence?.type, 'snapshot');
  assert.equal(predictionVerdict(outcome), 'wrong');
});

test('pid1: the program by what it runs, whatever its path; an unlisted program is "something else"', () => {
  const node = runningWith(proc(1, 0, '/usr/local/bin/node /app/server.js'));
  const [right] = judgePredictions([WHO_IS_PID1], { 'who-is-pid1': 'node' }, node.events);
  assert.equal(right.observed?.id, 'node');
  assert.equal(predictionVerdict(right), 'right');
  const tini = runningWith(proc(1, 0, '/usr/bin/tini -- node server.js'), proc(6, 1, 'node server.js'));
  assert.equal(judgePredictions([WHO_IS_PID1], {}, tini.events)[0].observed?.id, 'other');
});

test('pid1: no PID 1 when the container had exited by then; unanswered questions still show what was seen', () => {
  const run = new Run().built().in('main', 2000).start(2010).die(2100, 0).step(2200, 'settled').end(2300);
  const [outcome] = judgePredictions([WHO_IS_PID1], {}, run.events);
  assert.equal(outcome.observed, undefined);
  assert.equal(outcome.predicted, undefined);
  assert.match(outcome.saw, /^no PID 1: the container had already exited \(0 = success/);
  assert.equal(outcome.evidence?.type, 'container-die');
  assert.equal(predictionVerdict(outcome), 'unanswered');
});

const STILL_RUNNING = spec({
  id: 'still-running',
  question: 'Will the container still be running after 3 s?',
  observed: { kind: 'running', scenario: 'main', at: 'settled' },
  choices: [
    { id: 'yes', text: 'yes', when: { running: true } },
    { id: 'no', text: 'no, it will have exited', when: { running: false } },
  ],
});

test('running: whether the container was still running at the step', () => {
  const up = runningWith(proc(1, 0, 'node server.js'));
  assert.equal(judgePredictions([STILL_RUNNING], { 'still-running': 'yes' }, up.events)[0].observed?.id, 'yes');
  const gone = new Run().built().in('main', 2000).start(2010).die(2100, 0).step(2200, 'settled').end(2300);
  const [outcome] = judgePredictions([STILL_RUNNING], { 'still-running': 'yes' }, gone.events);
  assert.equal(outcome.observed?.id, 'no');
  assert.equal(outcome.evidence?.type, 'container-die');
  assert.equal(predictionVerdict(outcome), 'wrong');
});

const STOP_CODE = spec({
  id: 'stop-code',
  question: 'What exit code will docker stop give?',
  observed: { kind: 'exit', scenario: 'main', after: 'stop' },
  choices: [
    { id: 'zero', text: '0', when: { codes: [0] } },
    { id: 'sigterm', text: '143', when: { codes: [143] } },
    { id: 'sigkill', text: '137', when: { codes: [137] } },
    { id: 'running', text: 'it keeps running', when: { stillRunning: true } },
  ],
});

test('exit: the first exit after the step, by its code; no exit at all is "still running"', () => {
  const killed = new Run().built().in('main', 2000).start(2010).step(2100, 'stop').die(12_100, 137).end(12_200);
  const [outcome] = judgePredictions([STOP_CODE], { 'stop-code': 'zero' }, killed.events);
  assert.equal(outcome.observed?.id, 'sigkill');
  assert.match(outcome.saw, /^the container exited with 137 = killed by SIGKILL/);
  assert.equal(outcome.evidence?.seq, killed.seqOf('container-die'));
  const stays = new Run().built().in('main', 2000).start(2010).step(2100, 'stop').end(5000);
  assert.equal(judgePredictions([STOP_CODE], {}, stays.events)[0].observed?.id, 'running');
  const before = new Run().built().in('main', 2000).start(2010).die(2050, 1).step(2100, 'stop').end(5000);
  assert.equal(
    judgePredictions([STOP_CODE], {}, before.events)[0].observed?.id,
    'running',
    'an exit before the step does not count',
  );
});

test('exit: a code no choice names leaves the observed answer empty, in words all the same', () => {
  const run = new Run().built().in('main', 2000).start(2010).step(2100, 'stop').die(2200, 2).end(2300);
  const [outcome] = judgePredictions([STOP_CODE], { 'stop-code': 'zero' }, run.events);
  assert.equal(outcome.observed, undefined);
  assert.match(outcome.saw, /with 2 = /);
  assert.equal(predictionVerdict(outcome), 'unobserved');
});

const RESTARTS = spec({
  id: 'restarts',
  question: 'How many times will Docker restart it?',
  observed: { kind: 'restarts', scenario: 'main' },
  choices: [
    { id: 'none', text: 'never', when: { max: 0 } },
    { id: 'some', text: 'once or twice', when: { min: 1, max: 2 } },
    { id: 'many', text: 'three times or more', when: { min: 3 } },
  ],
});

test('restarts: the count of restarts Docker made in the scenario', () => {
  assert.equal(judgePredictions([RESTARTS], {}, exits(1).events)[0].observed?.id, 'none');
  const [two] = judgePredictions([RESTARTS], { restarts: 'none' }, exits(1, 1, 0).events);
  assert.equal(two.observed?.id, 'some');
  assert.equal(two.saw, 'Docker restarted the container 2 time(s)');
  assert.equal(two.evidence?.type, 'container-restart');
  assert.equal(judgePredictions([RESTARTS], {}, exits(1, 1, 1, 1).events)[0].observed?.id, 'many');
});

test('a run that did not build, or stopped before the step, observes nothing', () => {
  const failed = new Run()
    .add(0, { type: 'run-start', exerciseId: 'a/b', runId: 'r1' })
    .add(5, { type: 'build-end', ok: false, error: 'no such file', durationMs: 5 });
  const [outcome] = judgePredictions([WHO_IS_PID1], { 'who-is-pid1': 'shell' }, failed.events);
  assert.equal(outcome.observed, undefined);
  assert.equal(outcome.saw, 'not observed: the image did not build');
  assert.equal(predictionVerdict(outcome), 'unobserved');
  const short = new Run().built().in('main', 2000).start(2010).end(2100);
  assert.match(judgePredictions([WHO_IS_PID1], {}, short.events)[0].saw, /^not observed: the scenario ended/);
});

test('a run cut short as a whole (its engine lost) answers no question, whatever it saw before', () => {
  const cut = runningWith(proc(1, 0, 'node server.js')).ofRun(3000, {
    type: 'platform-error',
    message: 'the engine went away',
    forLearner: true,
  });
  const [outcome] = judgePredictions([WHO_IS_PID1], { 'who-is-pid1': 'shell' }, cut.events);
  assert.equal(outcome.observed, undefined);
  assert.equal(outcome.saw, 'not observed: the run stopped before the lab could see it');
  assert.equal(predictionVerdict(outcome), 'unobserved');
});

test('a pick that is no choice of the question counts as unanswered', () => {
  const run = runningWith(proc(1, 0, 'node server.js'));
  const [outcome] = judgePredictions([WHO_IS_PID1], { 'who-is-pid1': 'bogus' }, run.events);
  assert.equal(outcome.predicted, undefined);
});

test('the schema refuses conditions of another kind and a catch-all before the last choice', () => {
  const base = { id: 'q', question: 'q?', observed: { kind: 'running', scenario: 'main', at: 'up' } };
  assert.equal(
    PredictionSpecSchema.safeParse({
      ...base,
      choices: [
        { id: 'a', text: 'a', when: { codes: [0] } },
        { id: 'b', text: 'b' },
      ],
    }).success,
    false,
  );
  assert.equal(
    PredictionSpecSchema.safeParse({
      ...base,
      choices: [
        { id: 'a', text: 'a' },
        { id: 'b', text: 'b', when: { running: true } },
      ],
    }).success,
    false,
  );
});

const INCIDENT_PID1 = spec({
  id: 'pid1-kind',
  question: 'What will PID 1 of my-api be?',
  observed: { kind: 'incident-pid1' },
  choices: [
    { id: 'program', text: 'the application', when: { pid1Kind: 'program' } },
    { id: 'shell-form', text: 'a shell running the CMD line', when: { pid1Kind: 'shell-form' } },
    { id: 'script', text: 'a wrapper script', when: { pid1Kind: 'script' } },
    { id: 'init', text: 'an init', when: { pid1Kind: 'init' } },
  ],
});

test('incident-pid1: the kind of process the lab saw as PID 1 of the incident', () => {
  const truth = {
    seed: 3,
    cause: 'exit-code-swallowed' as const,
    pid1Command: '/bin/sh /app/start.sh',
    startedCommand: ['/app/start.sh'],
    otherCommands: ['node api.js'],
    exitCode: 0,
    oomKilled: false,
  };
  const [outcome] = judgePredictions([INCIDENT_PID1], { 'pid1-kind': 'program' }, [], truth);
  assert.equal(outcome.observed?.id, 'script');
  assert.equal(outcome.saw, 'PID 1 of the incident was "/bin/sh /app/start.sh"');
  assert.equal(predictionVerdict(outcome), 'wrong');
  const tini = judgePredictions([INCIDENT_PID1], {}, [], { ...truth, pid1Command: '/usr/bin/tini -- node api.js' });
  assert.equal(tini[0].observed?.id, 'init');
  assert.equal(judgePredictions([INCIDENT_PID1], {}, [])[0].saw, 'not observed: there was no incident to observe');
});
