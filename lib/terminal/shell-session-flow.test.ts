// Flow control of a shell session with a scripted shell and page: a page that does not acknowledge holds
// the shell, one whose socket does not drain too; a page that comes back with its offset gets exactly what
// it had not seen; acknowledgements of bytes never sent are ignored.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { KiB, LIMITS, ScriptedPage, ScriptedShell, session } from './shell-session-fixtures';

describe('a shell session', () => {
  test('a page that does not acknowledge gets no more than the high-water mark, and the shell is paused', async () => {
    const shell = new ScriptedShell();
    const terminal = session(shell);
    const page = new ScriptedPage();
    terminal.attach(page);
    const produced = shell.produce(1024 * KiB);
    await page.until(() => shell.paused);
    assert.ok(page.received <= LIMITS.highWaterBytes, `received ${page.received} without acknowledging anything`);
    assert.ok(terminal.stats().end - terminal.stats().start <= LIMITS.logBytes);
    // Acknowledging what it wrote lets the rest through, every byte once and in order.
    while (page.received < 1024 * KiB) {
      terminal.ack(page, page.received);
      const before = page.received;
      await page.until(() => page.received > before || page.received === 1024 * KiB);
      const { sent, acked } = terminal.stats();
      assert.ok(sent - acked <= LIMITS.highWaterBytes, `${sent - acked} bytes ahead of the page`);
    }
    assert.ok(Buffer.concat(page.frames).equals(await produced));
    terminal.end();
  });

  test('a page whose socket does not drain gets nothing more, and the shell is paused', async () => {
    const shell = new ScriptedShell();
    const terminal = session(shell);
    const page = new ScriptedPage();
    terminal.attach(page);
    page.stuck = LIMITS.highWaterBytes;
    void shell.produce(256 * KiB);
    // The page even acknowledges all it was sent: the socket's own buffer still holds the shell back.
    await page.until(() => {
      terminal.ack(page, terminal.stats().sent);
      return shell.paused;
    });
    assert.equal(page.received, 0);
    assert.ok(terminal.stats().end <= LIMITS.highWaterBytes + 4 * KiB, `the shell wrote ${terminal.stats().end} bytes`);
    terminal.end();
  });

  test('a page that comes back with its offset gets exactly the bytes it had not seen, from the same shell', async () => {
    const shell = new ScriptedShell();
    const terminal = session(shell);
    const first = new ScriptedPage();
    terminal.attach(first);
    const produced = shell.produce(40 * KiB);
    await first.until(() => first.received >= 10 * KiB);
    terminal.ack(first, 6 * KiB);
    const seen = first.received;
    terminal.detach(first);
    // Output goes on while nobody watches, up to the high-water mark past the acknowledged offset.
    await first.until(() => shell.paused);

    const second = new ScriptedPage();
    terminal.attach(second, seen);
    assert.deepEqual(second.ready, { type: 'ready', session: 's-test-0001', offset: seen });
    while (second.received + seen < 40 * KiB) {
      terminal.ack(second, seen + second.received);
      const before = second.received;
      await second.until(() => second.received > before);
    }
    assert.equal(seen + second.received, 40 * KiB, 'nothing repeated');
    assert.ok(Buffer.concat([...first.frames, ...second.frames]).equals(await produced), 'nothing lost, in order');
    terminal.end();
  });

  test('acknowledgements of bytes never sent are ignored', async () => {
    const shell = new ScriptedShell();
    const terminal = session(shell);
    const page = new ScriptedPage();
    terminal.attach(page);
    shell.emit(Buffer.from('abc'));
    terminal.ack(page, 1_000_000);
    assert.equal(terminal.stats().acked, 0);
    terminal.ack(page, 3);
    assert.equal(terminal.stats().acked, 3);
    terminal.end();
  });
});
