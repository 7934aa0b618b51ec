// What defines a known mistake of a diagnosis exercise, in terms of what the lab observed of the
// incident (the cause it staged, what PID 1 was) and what the answer gave: a wrong answer about PID 1
// is "missed the shell form" only when PID 1 really was `/bin/sh -c …`, and a wrong cause is "took a
// crash for a configuration error" only when it was a crash and the answer said config-error.
import type { Cause } from '../incidents/causes';
import { planIncident } from '../incidents/incident-plan';
import type { IncidentTruth } from '../incidents/incident-truth';
import { argvOf, roleOf, runningProgram } from '../observe/program';
import type { CheckResult } from './check-result';
import { namesCommand } from './command-words';
import { readAnswer } from './diagnosis-answer';

/** What PID 1 was in the incident: a shell running inline code (a shell-form CMD), a shell running a script, an init, or a program. */
export type Pid1Kind = 'shell-form' | 'script' | 'init' | 'program';

/** The observations (all given must hold) that define a diagnosis mistake. */
export interface DiagnosisShows {
  /** The cause the lab staged, one of these. */
  cause?: Cause[];
  /** The cause the answer gives, one of these. */
  answeredCause?: Cause[];
  /** What PID 1 was, one of these. */
  pid1?: Pid1Kind[];
  /** The answer's exit code is the one the application printed, not PID 1's. */
  answeredAppExitCode?: boolean;
  /** The answer names another process of the container (the application under PID 1), not PID 1. */
  answeredOtherProcess?: boolean;
  /** The answer names the arguments PID 1 was started with (the CMD after an entrypoint), not PID 1. */
  answeredArguments?: boolean;
  /** The answer's exit code is one of these. */
  answeredExitCode?: number[];
}

export function pid1Kind(command: string): Pid1Kind {
  const argv = argvOf({ command });
  const role = roleOf(argv);
  if (role === 'shell') return runningProgram(argv).script === null ? 'shell-form' : 'script';
  return role === 'init' ? 'init' : 'program';
}

/** True when `answer` names the command PID 1 was given as its arguments, and not PID 1 itself. */
function namesArguments(answer: string, truth: IncidentTruth): boolean {
  if (namesCommand(answer, truth.pid1Command)) return false;
  const args = truth.startedCommand.slice(1);
  return args.some((_, from) => namesCommand(answer, args.slice(from).join(' ')));
}

function holds(shows: DiagnosisShows, answerText: string | undefined, truth: IncidentTruth): boolean {
  const read = answerText === undefined ? undefined : readAnswer(answerText);
  const answer = read?.ok ? read.answer : undefined;
  const value = <T>(field: { value: T } | object | undefined) =>
    field && 'value' in field ? (field.value as T) : undefined;
  if (shows.cause && !shows.cause.includes(truth.cause)) return false;
  if (shows.answeredCause && !shows.answeredCause.includes(value<Cause>(answer?.cause) as Cause)) return false;
  if (shows.pid1 && !shows.pid1.includes(pid1Kind(truth.pid1Command))) return false;
  const exitCode = value<number>(answer?.exitCode);
  if (shows.answeredAppExitCode && (exitCode === undefined || exitCode !== planIncident(truth.seed).appExitCode))
    return false;
  const pid1 = value<string>(answer?.pid1);
  if (shows.answeredOtherProcess && (pid1 === undefined || !truth.otherCommands.some((c) => namesCommand(pid1, c))))
    return false;
  if (shows.answeredArguments && (pid1 === undefined || !namesArguments(pid1, truth))) return false;
  if (shows.answeredExitCode && (exitCode === undefined || !shows.answeredExitCode.includes(exitCode))) return false;
  return true;
}

/** The results with each failed check marked with the mistakes (naming it) whose observations hold. */
export function markDiagnosisMistakes(
  mistakes: Record<string, { fails: string[]; shows?: DiagnosisShows }>,
  results: CheckResult[],
  answerText: string | undefined,
  truth: IncidentTruth,
): CheckResult[] {
  const seen = Object.entries(mistakes)
    .filter(([, mistake]) => mistake.shows && holds(mistake.shows, answerText, truth))
    .map(([id]) => id);
  return results.map((result) => {
    if (result.status !== 'fail') return result;
    const marks = seen.filter((id) => mistakes[id].fails.includes(result.id));
    return marks.length ? { ...result, observedMistakes: marks } : result;
  });
}
