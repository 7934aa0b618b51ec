// The known mistakes of a diagnosis are defined by what the lab observed of the incident and what the
// answer gave: the same failed check is one mistake or another depending on what PID 1 really was.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planIncident } from '../incidents/incident-plan';
import type { IncidentTruth } from '../incidents/incident-truth';
import { judgeDiagnosis } from './diagnosis';
import { pid1Kind } from './diagnosis-mistakes';
import { recogniseMistakes } from './mistakes';

const mistakes = {
  'missed-the-shell-form': {
    about: 'sh -c was PID 1',
    fails: ['pid1'],
    shows: { pid1: ['shell-form' as const], answeredOtherProcess: true },
  },
  'missed-the-entrypoint': {
    about: 'tini was PID 1',
    fails: ['pid1'],
    shows: { pid1: ['init' as const], answeredOtherProcess: true },
  },
};

function truthOf(seed: number, pid1Command: string, otherCommands: string[]): IncidentTruth {
  const plan = planIncident(seed);
  return {
    seed,
    cause: plan.cause,
    ...plan.expected,
    pid1Command,
    startedCommand: pid1Command.split(' '),
    otherCommands,
  };
}

const answer = (pid1: string) => JSON.stringify({ pid1, exitCode: 1, cause: 'crashed' });

test('what PID 1 was, read from its command line', () => {
  assert.equal(pid1Kind('/bin/sh -c node main.js'), 'shell-form');
  assert.equal(pid1Kind('/bin/sh /app/start.sh'), 'script');
  assert.equal(pid1Kind('/usr/bin/tini -- node index.js'), 'init');
  assert.equal(pid1Kind('node server.js'), 'program');
});

test('a wrong PID 1 is the mistake of the PID 1 the lab saw, and only when the answer named its child', () => {
  const shell = truthOf(1, '/bin/sh -c node main.js', ['node main.js']);
  const init = truthOf(1, '/usr/bin/tini -- node main.js', ['node main.js']);
  const look = (text: string, truth: IncidentTruth) =>
    recogniseMistakes(mistakes, judgeDiagnosis(text, truth, 'my-api', mistakes)).map((m) => m.id);
  assert.deepEqual(look(answer('node main.js'), shell), ['missed-the-shell-form']);
  assert.deepEqual(look(answer('node main.js'), init), ['missed-the-entrypoint']);
  // An empty answer names no process: it is not a known mistake about PID 1.
  assert.deepEqual(look(JSON.stringify({ pid1: '', exitCode: null, cause: '' }), shell), []);
});

test("an answer naming the CMD an entrypoint script was given is that mistake, and an answer's exit code can define one", () => {
  const later = {
    'named-the-missing-program': {
      about: 'the script was PID 1',
      fails: ['pid1'],
      shows: { cause: ['command-not-runnable' as const], pid1: ['script' as const], answeredArguments: true },
    },
    'reported-the-sigterm': {
      about: '143 is not what Docker recorded',
      fails: ['exit-code'],
      shows: { answeredExitCode: [143] },
    },
  };
  const truth: IncidentTruth = {
    seed: 98,
    cause: 'command-not-runnable',
    pid1Command: '/bin/sh /usr/local/bin/docker-entrypoint.sh npm start',
    startedCommand: ['docker-entrypoint.sh', 'npm', 'start'],
    otherCommands: ['sleep 1.2'],
    exitCode: 127,
    oomKilled: false,
  };
  const look = (pid1: string, exitCode: number) =>
    recogniseMistakes(
      later,
      judgeDiagnosis(JSON.stringify({ pid1, exitCode, cause: 'command-not-runnable' }), truth, 'my-api', later),
    ).map((m) => m.id);
  assert.deepEqual(look('npm start', 127), ['named-the-missing-program']);
  assert.deepEqual(look('/usr/bin/npm', 127), ['named-the-missing-program']);
  assert.deepEqual(look('docker-entrypoint.sh npm start', 127), [], 'PID 1 named with its arguments is right');
  assert.deepEqual(look('node server.js', 127), [], 'a program that is not in the command is no known mistake');
  assert.deepEqual(look('docker-entrypoint.sh', 143), ['reported-the-sigterm']);
});
