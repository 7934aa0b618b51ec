// A shell session with a scripted shell and page: output in order after a ready message, a page asking
// for more than the log holds, one page at a time, the detach window, and the end of the shell.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CLOSE_CODES } from './terminal-protocol';
import { LIMITS, ScriptedPage, ScriptedShell, session } from './shell-session-fixtures';

describe('a shell session', () => {
  test('sends a new page the output in order, after a ready message at offset 0', () => {
    const shell = new ScriptedShell();
    const terminal = session(shell);
    const page = new ScriptedPage();
    shell.emit(Buffer.from('$ '));
    terminal.attach(page);
    shell.emit(Buffer.from('echo hi\r\nhi\r\n'));
    assert.deepEqual(page.messages[0], { type: 'ready', session: 's-test-0001', offset: 0 });
    assert.equal(Buffer.concat(page.frames).toString(), '$ echo hi\r\nhi\r\n');
    terminal.input(page, Buffer.from('ls\r'));
    terminal.resize(page, { cols: 120, rows: 40 });
    assert.deepEqual(shell.input.map(String), ['ls\r']);
    assert.deepEqual(shell.sizes, [{ cols: 120, rows: 40 }]);
    terminal.end();
  });

  test('a page asking for bytes the log no longer holds is told where its output starts', () => {
    const shell = new ScriptedShell();
    const terminal = session(shell, { ...LIMITS, logBytes: 8 });
    shell.emit(Buffer.from('0123456789abcdef'));
    const page = new ScriptedPage();
    terminal.attach(page, 2);
    assert.deepEqual(page.ready, { type: 'ready', session: 's-test-0001', offset: 8 });
    assert.equal(Buffer.concat(page.frames).toString(), '89abcdef');
    terminal.end();
  });

  test('a second page takes the shell over; the first is told and closed, and its input is ignored', () => {
    const shell = new ScriptedShell();
    const terminal = session(shell);
    const first = new ScriptedPage();
    const second = new ScriptedPage();
    terminal.attach(first);
    terminal.attach(second);
    assert.equal(first.closed?.code, CLOSE_CODES.replaced);
    assert.ok(first.messages.some((message) => message.type === 'error'));
    terminal.input(first, Buffer.from('nope'));
    terminal.input(second, Buffer.from('yes'));
    assert.deepEqual(shell.input.map(String), ['yes']);
    terminal.end();
  });

  test('a shell nobody comes back to is ended after the detach window', async () => {
    const shell = new ScriptedShell();
    let ended!: () => void;
    const gone = new Promise<void>((resolve) => (ended = resolve));
    const terminal = session(shell, { ...LIMITS, detachedMs: 30 }, () => ended());
    const page = new ScriptedPage();
    terminal.attach(page);
    terminal.detach(page);
    // The session's timer does not hold the process open (a server exits without waiting for it): this does.
    const keepAlive = setInterval(() => undefined, 1_000);
    await gone;
    clearInterval(keepAlive);
    assert.equal(shell.closed, true);
  });

  test('when the shell exits, the page gets its last output, then the exit code, then a normal close', async () => {
    const shell = new ScriptedShell();
    const terminal = session(shell);
    const page = new ScriptedPage();
    terminal.attach(page);
    shell.emit(Buffer.from('logout\r\n'));
    shell.exit(3);
    await page.until(() => page.closed !== null);
    assert.equal(Buffer.concat(page.frames).toString(), 'logout\r\n');
    assert.deepEqual(page.messages.at(-1), { type: 'exit', code: 3 });
    assert.equal(page.closed?.code, CLOSE_CODES.ended);
  });
});
