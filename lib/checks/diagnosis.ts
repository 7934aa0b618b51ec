// Judges a diagnosis: the learner's answer.json against the truth the lab observed of their incident.
// Pure: (answer text, truth) -> results. A result that failed says what was expected and what the
// learner answered, and its hint points at the command that shows the fact, without giving it away.
import { CAUSES, CAUSE_MEANINGS, isCause, type Cause } from '../incidents/causes';
import { planIncident } from '../incidents/incident-plan';
import type { IncidentTruth } from '../incidents/incident-truth';
import type { DiagnosisCheckId } from '../lessons/exercise-schema';
import { describeExit } from '../observe/exit-status';
import type { CheckResult } from './check-result';
import { namesCommand } from './command-words';
import { ANSWER_FIELDS, readAnswer, type AnswerField } from './diagnosis-answer';
import { markDiagnosisMistakes, type DiagnosisShows } from './diagnosis-mistakes';

/** The title of each check, in the order they are reported. */
export const DIAGNOSIS_CHECK_TITLES: Readonly<Record<DiagnosisCheckId, string>> = {
  'answer-format': 'answer.json can be read',
  pid1: 'The answer names PID 1',
  'exit-code': "The answer gives PID 1's exit code",
  cause: 'The answer gives the cause of the exit',
};

type Verdict = { pass: boolean; expected: string; observed: string; hint?: string };

function result(id: DiagnosisCheckId, verdict: Verdict): CheckResult {
  return {
    id,
    title: DIAGNOSIS_CHECK_TITLES[id],
    status: verdict.pass ? 'pass' : 'fail',
    expected: verdict.expected,
    observed: verdict.observed,
    message: `expected ${verdict.expected}; observed ${verdict.observed}`,
    hint: verdict.pass ? undefined : verdict.hint,
    bonus: false,
  };
}

/** The verdict on a field left empty, or written so that it cannot be read. */
function unanswered(
  field: { missing: true } | { problem: string },
  name: string,
  expected: string,
  hint: string,
  example: string,
): Verdict {
  if ('missing' in field) return { pass: false, expected, observed: `no answer: ${name} is empty`, hint };
  return { pass: false, expected, observed: field.problem, hint: `Write it like this: ${example}.` };
}

function judgePid1(field: AnswerField<string>, truth: IncidentTruth, container: string): Verdict {
  const expected = "the command line of the container's PID 1";
  const inspect = `docker inspect ${container} --format '{{.Path}} {{.Args}}'`;
  if (!('value' in field))
    return unanswered(
      field,
      'pid1',
      expected,
      `${inspect} shows the program Docker started as PID 1.`,
      '"pid1": "python3 app.py"',
    );
  const answer = field.value;
  if (namesCommand(answer, truth.pid1Command) || namesCommand(answer, truth.startedCommand.join(' '))) {
    return { pass: true, expected, observed: `"${answer}": PID 1 ran ${truth.pid1Command}` };
  }
  if (truth.otherCommands.some((command) => namesCommand(answer, command))) {
    return {
      pass: false,
      expected,
      observed: `"${answer}" ran in the container, but not as PID 1`,
      hint:
        `Another process started it. docker inspect ${container} --format '{{.Config.Entrypoint}} {{.Config.Cmd}}' shows the whole ` +
        'command Docker ran, entrypoint first; a script started through its #! line runs as its interpreter followed by the script.',
    };
  }
  return {
    pass: false,
    expected,
    observed: `"${answer}" is not what PID 1 ran`,
    hint: `Read what Docker started, not what the application is called: ${inspect}. A shell-form CMD runs under /bin/sh -c, and an entrypoint comes before the CMD.`,
  };
}

function judgeExitCode(field: AnswerField<number>, truth: IncidentTruth, container: string): Verdict {
  const expected = 'the exit code Docker recorded for PID 1 (State.ExitCode)';
  const inspect = `docker inspect ${container} --format '{{.State.ExitCode}}'`;
  if (!('value' in field))
    return unanswered(
      field,
      'exitCode',
      expected,
      `docker ps -a shows it as Exited (N); ${inspect} prints it alone, also for a container Docker could not start (Created).`,
      '"exitCode": 2',
    );
  const answer = field.value;
  if (answer === truth.exitCode)
    return { pass: true, expected, observed: `${answer}: ${describeExit(answer, truth.oomKilled)}` };
  if (answer === planIncident(truth.seed).appExitCode) {
    return {
      pass: false,
      expected,
      observed: `${answer}: the code the application reported in the log`,
      hint: `That is the application's own code, and the application was not PID 1. The container reports the code of PID 1: ${inspect}.`,
    };
  }
  return {
    pass: false,
    expected,
    observed: String(answer),
    hint: `Take the code Docker recorded rather than one you infer from the log: ${inspect}.`,
  };
}

/** A nudge from the cause answered towards the true one. */
function causeHint(truth: Cause, answered: Cause, container: string): string {
  const logs = `docker logs ${container} --tail 50`;
  const oomKilled = `docker inspect ${container} --format '{{.State.OOMKilled}}'`;
  switch (truth) {
    case 'oom-killed':
      return `An exit code above 128 means a signal ended PID 1 (128 + its number). Who sent it? ${oomKilled} says whether it was the kernel's OOM killer.`;
    case 'killed-by-signal':
      if (answered === 'stop-timed-out')
        return `A docker stop sends SIGTERM first and waits: did anything in ${logs} answer a SIGTERM? docker events --since 30m --until 0s --filter container=${container} lists the signals Docker sent.`;
      return answered === 'oom-killed'
        ? `Not every signal that ends a process comes from the OOM killer: ${oomKilled} says whether this one did.`
        : 'An exit code above 128 is 128 + the number of the signal that ended PID 1: the process did not exit by itself.';
    case 'stop-timed-out':
      return answered === 'oom-killed'
        ? `Not every SIGKILL comes from the OOM killer: ${oomKilled} says whether this one did, and ${logs} shows what came before it.`
        : `Was SIGKILL the first signal PID 1 got? Read ${logs} for a SIGTERM, and compare its time (docker logs -t) with the container's death (State.FinishedAt); docker events --since 30m --until 0s --filter container=${container} lists the signals Docker sent.`;
    case 'command-not-runnable':
      return `Did the application ever run? docker inspect ${container} --format '{{.State.Status}} {{.State.Error}}' and the log say whether its command could be started at all, and what stood in the way.`;
    case 'daemonized':
      return `Did anything fail? The exit code says whether PID 1 reported success. Read the last lines of ${logs}: what did PID 1 start before it left, and where did that go?`;
    case 'exit-code-swallowed':
      return 'The log shows the application failing. Is the application PID 1? Compare the code in the log with the exit code Docker recorded, and look at what PID 1 ran.';
    case 'config-error':
      return `Read the last lines of ${logs}: did the application hit a bug, or did it refuse one of its settings?`;
    case 'crashed':
      return `Read the last lines of ${logs}: is the error about a setting, or is it a bug in the code (a stack trace)?`;
  }
}

function judgeCause(field: AnswerField<string>, truth: IncidentTruth, container: string): Verdict {
  const expected = "the cause that explains PID 1's exit code, one of the listed ids";
  if (!('value' in field))
    return unanswered(field, 'cause', expected, `Choose one of: ${CAUSES.join(', ')}.`, '"cause": "oom-killed"');
  const answer = field.value;
  if (!isCause(answer))
    return {
      pass: false,
      expected,
      observed: `"${answer}" is not one of the listed causes`,
      hint: `Choose one of: ${CAUSES.join(', ')}.`,
    };
  if (answer === truth.cause) return { pass: true, expected, observed: `${answer}: ${CAUSE_MEANINGS[answer]}` };
  // An abort (134) or a segmentation fault (139) is a signal and a crash at once: the lesson calls
  // both crashes, so either answer is right.
  if (
    answer === 'crashed' &&
    truth.cause === 'killed-by-signal' &&
    (truth.exitCode === 134 || truth.exitCode === 139)
  ) {
    return {
      pass: true,
      expected,
      observed: `crashed: exit code ${truth.exitCode} is ${truth.exitCode === 134 ? 'SIGABRT, an abort' : 'SIGSEGV, a segmentation fault'}, a crash that ended with a signal`,
    };
  }
  return { pass: false, expected, observed: answer, hint: causeHint(truth.cause, answer, container) };
}

/** Judges the answer (the text of answer.json, undefined when the file is missing) against the truth. */
export function judgeDiagnosis(
  answerText: string | undefined,
  truth: IncidentTruth,
  container = 'my-api',
  mistakes: Record<string, { fails: string[]; shows?: DiagnosisShows }> = {},
): CheckResult[] {
  return markDiagnosisMistakes(mistakes, judged(answerText, truth, container), answerText, truth);
}

function judged(answerText: string | undefined, truth: IncidentTruth, container: string): CheckResult[] {
  const expected = `one JSON object with the fields ${ANSWER_FIELDS.join(', ')}`;
  const read =
    answerText === undefined ? { ok: false as const, problem: 'there is no answer.json' } : readAnswer(answerText);
  if (!read.ok) {
    const notJudged = {
      pass: false,
      expected: 'an answer',
      observed: 'not judged: answer.json could not be read',
      hint: 'Fix answer.json first.',
    };
    return [
      result('answer-format', {
        pass: false,
        expected,
        observed: read.problem,
        hint: 'Start again from the starter answer.json and fill in its three fields.',
      }),
      result('pid1', notJudged),
      result('exit-code', notJudged),
      result('cause', notJudged),
    ];
  }
  const { answer, unknownFields } = read;
  return [
    unknownFields.length
      ? result('answer-format', {
          pass: false,
          expected,
          observed: `unknown field${unknownFields.length > 1 ? 's' : ''} ${unknownFields.join(', ')}`,
          hint: `The fields are spelled ${ANSWER_FIELDS.join(', ')}.`,
        })
      : result('answer-format', { pass: true, expected, observed: 'read' }),
    result('pid1', judgePid1(answer.pid1, truth, container)),
    result('exit-code', judgeExitCode(answer.exitCode, truth, container)),
    result('cause', judgeCause(answer.cause, truth, container)),
  ];
}
