// The diagnosis checks, pure: a right answer passes in any reasonable form; each kind of wrong answer
// fails the check it concerns, with a hint that points at the fact without giving it away.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CAUSES, type Cause } from '../incidents/causes';
import { planIncident } from '../incidents/incident-plan';
import type { IncidentTruth } from '../incidents/incident-truth';
import { DIAGNOSIS_CHECK_IDS } from '../lessons/exercise-schema';
import { overallStatus } from './check-result';
import { judgeDiagnosis } from './diagnosis';
import { answerFor, readAnswer } from './diagnosis-answer';

/** The truth of a seed's incident as the lab would observe it when all goes to plan. */
function truthOf(seed: number, otherCommands: string[] = []): IncidentTruth {
  const plan = planIncident(seed);
  return {
    seed,
    cause: plan.cause,
    ...plan.expected,
    startedCommand: plan.expected.pid1Command.split(' '),
    otherCommands,
  };
}

/** A seed whose incident has this cause and whose PID 1 matches (and, when given, one of the exit codes). */
function seedOf(cause: Cause, pid1 = /./, codes?: number[]): number {
  for (let seed = 0; seed < 1000; seed++) {
    const plan = planIncident(seed);
    if (
      plan.cause === cause &&
      pid1.test(plan.expected.pid1Command) &&
      (!codes || codes.includes(plan.expected.exitCode))
    )
      return seed;
  }
  throw new Error(`no seed for ${cause} ${pid1}`);
}

const byId = (answer: string, truth: IncidentTruth) =>
  Object.fromEntries(judgeDiagnosis(answer, truth).map((result) => [result.id, result]));
const answer = (fields: Record<string, unknown>) => JSON.stringify(fields);

test('the right answer passes every check, in the order of the check ids', () => {
  for (const cause of CAUSES) {
    const truth = truthOf(seedOf(cause));
    const results = judgeDiagnosis(answerFor(truth), truth);
    assert.deepEqual(
      results.map((result) => result.id),
      [...DIAGNOSIS_CHECK_IDS],
    );
    assert.deepEqual(
      results.map((result) => result.status),
      ['pass', 'pass', 'pass', 'pass'],
      cause,
    );
    assert.equal(overallStatus(results), 'pass');
  }
});

test('right answers written differently pass', () => {
  const wrapper = truthOf(seedOf('exit-code-swallowed', /^\/bin\/sh \/app\//));
  wrapper.startedCommand = [wrapper.pid1Command.split(' ')[1]];
  const script = wrapper.startedCommand[0];
  const results = byId(
    answer({ pid1: `[${script}]`, exitCode: String(wrapper.exitCode), cause: 'Exit code swallowed' }),
    wrapper,
  );
  for (const id of DIAGNOSIS_CHECK_IDS) assert.equal(results[id].status, 'pass', `${id}: ${results[id].message}`);
});

test('the starter template fails each question as unanswered, and says which command shows it', () => {
  const truth = truthOf(seedOf('config-error'));
  const results = byId('{\n  "pid1": "",\n  "exitCode": null,\n  "cause": ""\n}\n', truth);
  assert.equal(results['answer-format'].status, 'pass');
  for (const id of ['pid1', 'exit-code', 'cause']) {
    assert.equal(results[id].status, 'fail');
    assert.match(results[id].observed, /no answer/);
  }
  assert.match(results.pid1.hint!, /\{\{\.Path\}\} \{\{\.Args\}\}/);
  assert.match(results['exit-code'].hint!, /State\.ExitCode/);
  assert.match(results.cause.hint!, /config-error, crashed, exit-code-swallowed, oom-killed, killed-by-signal/);
});

test('naming the application under a wrapper fails pid1 and says it was not PID 1', () => {
  const truth = truthOf(seedOf('exit-code-swallowed', /^\/bin\/sh \/app\//), ['node server.js']);
  const results = byId(answer({ pid1: 'node server.js', exitCode: truth.exitCode, cause: truth.cause }), truth);
  assert.equal(results.pid1.status, 'fail');
  assert.match(results.pid1.observed, /ran in the container, but not as PID 1/);
  assert.match(results.pid1.hint!, /Entrypoint/);
  assert.deepEqual([results['exit-code'].status, results.cause.status], ['pass', 'pass']);
});

test("giving the application's code instead of PID 1's fails exit-code with a hint about whose code it is", () => {
  const seed = seedOf('exit-code-swallowed');
  const truth = truthOf(seed);
  const results = byId(
    answer({ pid1: truth.pid1Command, exitCode: planIncident(seed).appExitCode, cause: truth.cause }),
    truth,
  );
  assert.equal(results['exit-code'].status, 'fail');
  assert.match(results['exit-code'].observed, /the code the application reported/);
  assert.match(results['exit-code'].hint!, /application was not PID 1/);
  const other = byId(answer({ pid1: truth.pid1Command, exitCode: 255, cause: truth.cause }), truth);
  assert.equal(other['exit-code'].status, 'fail');
  assert.match(other['exit-code'].hint!, /State\.ExitCode/);
});

test('each wrong cause fails with a hint that leads towards the right one', () => {
  const cases: [Cause, Cause, RegExp][] = [
    ['oom-killed', 'killed-by-signal', /Who sent it\? .*OOMKilled/],
    ['killed-by-signal', 'oom-killed', /Not every signal .* comes from the OOM killer/],
    ['killed-by-signal', 'crashed', /128 \+ the number of the signal/],
    ['exit-code-swallowed', 'crashed', /Is the application PID 1/],
    ['config-error', 'crashed', /refuse one of its settings/],
    ['crashed', 'config-error', /stack trace/],
  ];
  for (const [truthCause, answered, hint] of cases) {
    const codes = truthCause === 'killed-by-signal' && answered === 'crashed' ? [137, 143, 130, 129] : undefined;
    const truth = truthOf(
      seedOf(truthCause, truthCause === 'killed-by-signal' && answered === 'oom-killed' ? /^node/ : /./, codes),
    );
    const results = byId(answer({ pid1: truth.pid1Command, exitCode: truth.exitCode, cause: answered }), truth);
    assert.equal(results.cause.status, 'fail', `${truthCause} answered ${answered}`);
    assert.match(results.cause.hint!, hint, `${truthCause} answered ${answered}`);
  }
  const unlisted = byId(answer({ pid1: 'x', exitCode: 1, cause: 'segfault' }), truthOf(1));
  assert.match(unlisted.cause.observed, /not one of the listed causes/);
});

test('an abort (134) or a segmentation fault (139) may be called a signal or a crash', () => {
  for (const code of [134, 139]) {
    const truth = truthOf(seedOf('killed-by-signal', /./, [code]));
    for (const cause of ['killed-by-signal', 'crashed']) {
      assert.equal(
        byId(answer({ pid1: truth.pid1Command, exitCode: code, cause }), truth).cause.status,
        'pass',
        `${code} ${cause}`,
      );
    }
    assert.equal(
      byId(answer({ pid1: truth.pid1Command, exitCode: code, cause: 'oom-killed' }), truth).cause.status,
      'fail',
    );
  }
});

test('what a failed check shows never gives the answer away', () => {
  for (const cause of CAUSES) {
    const truth = truthOf(seedOf(cause), ['node child.js']);
    const wrong = answer({
      pid1: 'python3 nothing.py',
      exitCode: truth.exitCode === 3 ? 4 : 3,
      cause: cause === 'crashed' ? 'config-error' : 'crashed',
    });
    for (const result of judgeDiagnosis(wrong, truth).filter((r) => r.status === 'fail')) {
      const shown = `${result.expected} ${result.observed} ${result.hint}`;
      assert.ok(!shown.includes(truth.pid1Command), `${cause} ${result.id} shows PID 1: ${shown}`);
      assert.ok(
        !new RegExp(`\\b${truth.exitCode}\\b`).test(shown.replaceAll('PID 1', 'PID')),
        `${cause} ${result.id} shows the code: ${shown}`,
      );
      assert.ok(
        !shown.includes(`"${cause}"`) && !shown.includes(` ${cause}:`),
        `${cause} ${result.id} shows the cause: ${shown}`,
      );
    }
  }
});

test('an answer that is not JSON, or has unknown fields, fails answer-format and says why', () => {
  const truth = truthOf(seedOf('crashed'));
  const broken = byId('{ pid1: node }', truth);
  assert.equal(broken['answer-format'].status, 'fail');
  assert.match(broken['answer-format'].observed, /not valid JSON/);
  for (const id of ['pid1', 'exit-code', 'cause']) assert.match(broken[id].observed, /not judged/);
  const missing = judgeDiagnosis(undefined, truth);
  assert.match(missing[0].observed, /there is no answer\.json/);
  const list = byId('[1, 2]', truth);
  assert.match(list['answer-format'].observed, /one object/);
  const misspelt = byId(answer({ pid1: truth.pid1Command, exit_code: truth.exitCode, cause: truth.cause }), truth);
  assert.equal(misspelt['answer-format'].status, 'fail');
  assert.match(misspelt['answer-format'].observed, /unknown field exit_code/);
  assert.equal(misspelt['exit-code'].status, 'fail');
  assert.equal(misspelt.pid1.status, 'pass');
});

test('readAnswer is lenient where a reader would be, and exact about the rest', () => {
  const read = readAnswer(answer({ pid1: ' node a.js ', exitCode: ' 78 ', cause: 'OOM_killed' }));
  assert.ok(read.ok);
  assert.deepEqual(read.answer, {
    pid1: { value: 'node a.js' },
    exitCode: { value: 78 },
    cause: { value: 'oom-killed' },
  });
  for (const exitCode of [-1, 256, 1.5, 'Exited (1)', true]) {
    const bad = readAnswer(answer({ pid1: 'x', exitCode, cause: 'crashed' }));
    assert.ok(bad.ok && 'problem' in bad.answer.exitCode, String(exitCode));
  }
  const typed = readAnswer(answer({ pid1: 1, exitCode: null, cause: ['crashed'] }));
  assert.ok(
    typed.ok && 'problem' in typed.answer.pid1 && 'problem' in typed.answer.cause && 'missing' in typed.answer.exitCode,
  );
});
