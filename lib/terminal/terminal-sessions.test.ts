// The session registry: a learner finds only their own shells; their number is bounded, the oldest
// shell no page watches making room; a limit met while opening is a refusal, not a fault.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Shell } from '../sandbox/workstation-host';
import type { TerminalClient } from './shell-session';
import { TERMINAL_LIMITS } from './terminal-limits';
import { TerminalRefused, TerminalSessions } from './terminal-sessions';

function quietShell(): Shell & { closed: boolean } {
  const shell = {
    closed: false,
    onData: () => undefined,
    onExit: () => undefined,
    write: () => undefined,
    resize: () => undefined,
    pause: () => undefined,
    resume: () => undefined,
    close: () => void (shell.closed = true),
  };
  return shell;
}

const page = (): TerminalClient => ({
  sendBytes: () => undefined,
  sendMessage: () => undefined,
  bufferedAmount: () => 0,
  close: () => undefined,
});
const size = { cols: 80, rows: 24 };
const limits = { ...TERMINAL_LIMITS, sessionsPerLearner: 2 };

async function started(sessions: TerminalSessions, owner: string) {
  const result = await sessions.start(owner, size);
  if ('refused' in result) assert.fail(result.refused);
  return result.session;
}

test('a learner finds their own sessions only', async () => {
  const sessions = new TerminalSessions(async () => quietShell(), limits);
  const mine = await started(sessions, 'a');
  assert.equal(sessions.find('a', mine.id), mine);
  assert.equal(sessions.find('b', mine.id), undefined);
  sessions.endAll('test over');
});

test('past the per-learner limit the oldest unwatched shell is ended; if every shell is watched, a new one is refused', async () => {
  const shells: ReturnType<typeof quietShell>[] = [];
  const sessions = new TerminalSessions(async () => {
    const shell = quietShell();
    shells.push(shell);
    return shell;
  }, limits);
  const first = await started(sessions, 'a');
  const second = await started(sessions, 'a');
  second.attach(page());
  await started(sessions, 'a');
  assert.equal(shells[0].closed, true, 'the unwatched first shell made room');
  assert.equal(sessions.find('a', first.id), undefined);
  sessions.of('a').forEach((session) => session.attach(page()));
  const refused = await sessions.start('a', size);
  assert.ok('refused' in refused && /at most 2 terminals/.test(refused.refused));
  assert.ok('session' in (await sessions.start('b', size)), 'another learner is not affected');
  sessions.endAll('test over');
});

test('a limit met while opening the shell is a refusal with its reason; other failures are thrown', async () => {
  const full = new TerminalSessions(async () => {
    throw new TerminalRefused('the lab is full');
  }, limits);
  assert.deepEqual(await full.start('a', size), { refused: 'the lab is full' });
  const broken = new TerminalSessions(async () => {
    throw new Error('engine down');
  }, limits);
  await assert.rejects(broken.start('a', size), /engine down/);
  assert.deepEqual(broken.of('a'), []);
});
