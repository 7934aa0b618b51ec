// The README's catalogue of checks: for each exercise, what its runs do, what each check observes
// and which mistakes it recognises, written from the exercise files so it cannot drift from them
// (`npm run --silent lab -- catalogue --write` rewrites it; a test compares).
import { DIAGNOSIS_CHECK_TITLES } from '../checks/diagnosis';
import { describeMatcher, describeProgram } from '../observe/program';
import { allExercises, type Lesson } from './curriculum';
import type { Assertion } from './exercise-schema';

export const CATALOGUE_START = '<!-- check catalogue: written by `npm run --silent lab -- catalogue --write` -->';
export const CATALOGUE_END = '<!-- end of check catalogue -->';

const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;
const regex = (text: string) => code(`/${text}/`);
const codes = (list: (number | string)[] | undefined) => (list ? `, with ${list.join(' or ')}` : '');

/** Where a check's evidence comes from, in a sentence fragment: the part of the recorded run it reads. */
export function observes(assertion: Assertion): string {
  switch (assertion.type) {
    case 'pid1-command':
      return `the process tree at ${code(assertion.at)}: PID 1 runs ${describeMatcher(assertion.matches)}, by its executable, not its text`;
    case 'pid1-args':
      return `the process tree at ${code(assertion.at)}: PID 1 runs ${describeProgram(assertion.program)} with the arguments ${code(assertion.args.join(' '))}, read from its argv`;
    case 'memory-below':
      return `the container's memory cgroup, read every 200 ms while it runs: its peak at most ${assertion.percent}% of the limit, and no OOM kill`;
    case 'no-oom-kill':
      return 'the die events: none with State.OOMKilled';
    case 'process-present':
      return `the process tree at ${code(assertion.at)}: ${describeMatcher(assertion.matches)} runs`;
    case 'process-absent':
      return `the process tree at ${code(assertion.at)}: no ${describeMatcher(assertion.matches)}`;
    case 'pid1-alone':
      return `the process tree at ${code(assertion.at)}: PID 1 and no other process, whatever its name`;
    case 'child-of':
      return `the process tree at ${code(assertion.at)}: ${describeMatcher(assertion.child)} is a child of ${assertion.parent ? describeMatcher(assertion.parent) : 'PID 1'}`;
    case 'running-at':
      return `the container's state at ${code(assertion.at)}`;
    case 'exited-within':
      return `the die event after ${code(assertion.after)} began: within ${assertion.withinMs / 1000} s${codes(assertion.codes)}`;
    case 'exit-code':
      return `the exit code of ${assertion.which === 'all' ? 'every' : `the ${assertion.which}`} die event${assertion.nonZero ? ': not 0' : assertion.codes ? `: ${assertion.codes.join(' or ')}` : ''}`;
    case 'restart-count':
      return `the restarts the engine made${assertion.min !== undefined ? `: at least ${assertion.min}` : ''}${assertion.max !== undefined ? `${assertion.min !== undefined ? ',' : ':'} at most ${assertion.max}` : ''}`;
    case 'output-contains':
      return `docker logs (${assertion.stream === 'any' ? 'stdout or stderr' : assertion.stream}): a line matching ${regex(assertion.matches)}${assertion.withinMs ? ` within ${assertion.withinMs / 1000} s` : ''}`;
    case 'no-file-created':
      return `the files the container wrote: none matching ${regex(assertion.pattern)}`;
    case 'no-pid-file':
      return 'the files the container wrote, anywhere (read before the stop and at the end, /dev and /dev/shm included): none named like a PID file or holding a PID of the container';
    case 'no-log-file':
      return `the files the container wrote, anywhere: none named like a log, under /var/log${assertion.lines ? `, or holding the app's lines (${regex(assertion.lines)})` : ''}`;
    case 'process-respawned':
      return `the process tree after ${code(assertion.after)}: a new ${describeMatcher(assertion.matches)} within ${assertion.withinMs / 1000} s`;
    case 'signal-reaches':
      return `the kernel's trace of signals (where it can be read; else the tree when ${code(assertion.after)} began and what ended first): the stop signal's path from PID 1 to ${describeProgram(assertion.program)}${assertion.letFinish ? ', and no SIGKILL after it' : ''}`;
    case 'signal-sent':
      return `the signals Docker delivered to PID 1 after ${code(assertion.after)} began: the first is ${assertion.signal}`;
    case 'signal-got':
      return `the kernel's trace of signals after ${code(assertion.after)} began: ${describeProgram(assertion.program)} first got ${assertion.signal} from a process of the container`;
    case 'started-once-per-start':
      return `the process tree within each start of the container: ${describeProgram(assertion.program)} started once`;
    case 'output-once-per-start':
      return `docker logs within each start of the container: one line matching ${regex(assertion.matches)}`;
    case 'exit-code-as-logged':
      return `each die event's code against the code the program drew and logged (${regex(assertion.matches)})`;
    case 'no-zombies':
      return `the process tree over the whole run: no process left a zombie (state Z) longer than ${assertion.lingerMs / 1000} s`;
    case 'exec-result':
      return `the lab's exec step ${code(assertion.step)} in the container: its exit code${assertion.outputMatches ? ' and output' : ''}`;
  }
}

const DIAGNOSIS_OBSERVES: Record<keyof typeof DIAGNOSIS_CHECK_TITLES, string> = {
  'answer-format': 'answer.json: JSON with the fields pid1, exitCode and cause',
  pid1: "the staged incident's process tree: the answer names PID 1's program",
  'exit-code': "the engine's State.ExitCode after the die event",
  cause: 'the incident as staged and State.OOMKilled: the kind of exit',
};

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();

/** The catalogue in Markdown, between its markers. */
export function checkCatalogue(lessons: Lesson[]): string {
  const out: string[] = [CATALOGUE_START, ''];
  for (const exercise of allExercises(lessons)) {
    out.push(`#### ${code(exercise.id)}: ${exercise.spec.title}`, '');
    if (exercise.kind === 'build') {
      const runs = exercise.spec.scenarios.map((scenario) => {
        const drawn = Object.keys(scenario.draw);
        return `${code(scenario.id)}: ${cell(scenario.description)}${drawn.length ? ` (drawn per run: ${drawn.map(code).join(', ')})` : ''}`;
      });
      out.push(`Runs: ${runs.join(' ')}`, '', '| check | observes |', '| --- | --- |');
      for (const check of exercise.spec.checks) out.push(`| ${cell(check.title)}${check.bonus ? ' (bonus)' : ''}${check.traced ? ' (where signals are traced)' : ''} | ${cell(observes(check.assert))} |`);
    } else {
      out.push('Runs: the incident staged from a seed, as the learner\'s stopped container.', '', '| check | observes |', '| --- | --- |');
      for (const [id, title] of Object.entries(DIAGNOSIS_CHECK_TITLES)) out.push(`| ${cell(title)} | ${cell(DIAGNOSIS_OBSERVES[id as keyof typeof DIAGNOSIS_CHECK_TITLES])} |`);
    }
    const mistakes = Object.entries(exercise.spec.mistakes);
    out.push('', `Mistakes it recognises (${mistakes.length}):`, '');
    for (const [id, mistake] of mistakes) out.push(`- ${code(id)}: ${cell(mistake.about)}`);
    out.push('');
  }
  out.push(CATALOGUE_END);
  return out.join('\n');
}

/** The README with its catalogue replaced by `catalogue`; throws if the markers are missing. */
export function withCatalogue(readme: string, catalogue: string): string {
  const start = readme.indexOf(CATALOGUE_START);
  const end = readme.indexOf(CATALOGUE_END);
  if (start < 0 || end < start) throw new Error('README.md has no check catalogue markers');
  return readme.slice(0, start) + catalogue + readme.slice(end + CATALOGUE_END.length);
}
