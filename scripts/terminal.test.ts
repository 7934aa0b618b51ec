// The terminal's WebSocket against the real lab server, engine and workstation: only a learner with a
// valid cookie gets a shell; it answers, resizes, and holds a flood to what a slow page acknowledges;
// a dropped connection resumes the same shell with every byte once; the editor's files are in /work;
// and nothing is left running after the server stops.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { labelledResources } from '../lib/sandbox/reaper';
import { dockerFromEnv } from '../lib/sandbox/docker-engine';
import { TERMINAL_LIMITS } from '../lib/terminal/terminal-limits';
import type { ServerMessage } from '../lib/terminal/terminal-protocol';
import { waitFor } from '../lib/testing/wait-for';
import { startLabServer, type LabServer } from './test-harness';

const EXERCISE = 'main-process-exit/pid1';
let server: LabServer;
let wsBase = '';
const learners: string[] = [];

/** A new learner's cookie, as the page gets it. */
async function newLearner(): Promise<string> {
  const response = await fetch(`${server.base}/api/learner`, { method: 'POST' });
  const cookie = response.headers.get('set-cookie')!.split(';')[0];
  learners.push(cookie.split('=')[1].split('.')[0]);
  return cookie;
}

/** A terminal page: bytes with their absolute offsets, control messages, and acks when it chooses. */
class Page {
  readonly ws: WebSocket;
  readonly messages: ServerMessage[] = [];
  output = Buffer.alloc(0);
  /** Absolute offset of the first byte in `output`. */
  base = 0;
  acked = 0;
  autoAck = true;
  /** The most output ever ahead of this page's acknowledgements. */
  maxAhead = 0;
  firstOutputAt = 0;
  closed: Promise<number>;

  constructor(cookie: string | null, query: Record<string, string> = {}) {
    const params = new URLSearchParams({ exerciseId: EXERCISE, cols: '100', rows: '30', ...query });
    this.ws = new WebSocket(`${wsBase}/api/terminal?${params}`, { headers: cookie ? { cookie } : {} });
    this.ws.on('message', (data: Buffer, isBinary) => {
      if (isBinary) {
        this.firstOutputAt ||= Date.now();
        this.output = Buffer.concat([this.output, data]);
        this.maxAhead = Math.max(this.maxAhead, this.end - this.acked);
        if (this.autoAck) this.ack();
      } else {
        const message = JSON.parse(data.toString()) as ServerMessage;
        if (message.type === 'ready') this.base = this.acked = message.offset;
        this.messages.push(message);
      }
    });
    this.closed = new Promise((resolve) => this.ws.on('close', (code) => resolve(code)));
    this.ws.on('error', () => undefined);
  }

  get end(): number {
    return this.base + this.output.length;
  }
  get text(): string {
    return this.output.toString('latin1');
  }
  get session(): string | undefined {
    return (this.messages.find((message) => message.type === 'ready') as { session: string } | undefined)?.session;
  }

  ack(): void {
    if (this.end > this.acked && this.ws.readyState === WebSocket.OPEN) {
      this.acked = this.end;
      this.ws.send(JSON.stringify({ type: 'ack', offset: this.acked }));
    }
  }
  type(text: string): void {
    this.ws.send(Buffer.from(text), { binary: true });
  }
  control(message: object): void {
    this.ws.send(JSON.stringify(message));
  }
  /** Resolves once `check` holds, looked at every 10 ms; past the deadline, the error shows the terminal. */
  until<T>(check: () => T | undefined | false, what: string, timeoutMs = 30_000): Promise<T> {
    return waitFor(check, { timeoutMs, what, intervalMs: 10 }).catch((error: Error) => {
      throw new Error(`${error.message}; the terminal shows:\n${this.text.slice(-2000)}`, { cause: error });
    });
  }
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray> {
    return this.until(() => this.text.match(pattern) ?? undefined, String(pattern), timeoutMs);
  }
}

/** The status of an upgrade the server refuses. */
function refusedStatus(headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${wsBase}/api/terminal`, { headers });
    ws.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    ws.on('open', () => reject(new Error('the upgrade was accepted')));
    ws.on('error', () => undefined);
  });
}

before(async () => {
  server = await startLabServer({ env: { LAB_SKIP_DOCKER_SETUP: '1' } });
  wsBase = server.base.replace('http', 'ws');
});

after(async () => {
  server.child.kill('SIGTERM');
  assert.equal(await server.exited, 0, server.output());
  const docker = dockerFromEnv();
  for (const learner of learners)
    assert.deepEqual(
      await labelledResources(docker, learner),
      { containers: [], images: [] },
      `nothing left of ${learner}`,
    );
});

describe('the terminal socket', { timeout: 240_000 }, () => {
  test('refuses a connection without a valid learner cookie, or from another site', async () => {
    assert.equal(await refusedStatus({}), 401);
    assert.equal(await refusedStatus({ cookie: 'lab_learner=l0123456789abcdef.forged' }), 401);
    assert.equal(await refusedStatus({ cookie: await newLearner(), origin: 'http://evil.example' }), 403);
  });

  test("opens a shell in the learner's workstation with the editor's files, answers, and resizes", async (t) => {
    const cookie = await newLearner();
    const draft = 'FROM lab/node\nCMD ["node", "-e", "console.log(1)"]\n';
    const saved = await fetch(`${server.base}/api/drafts?exerciseId=${EXERCISE}`, {
      method: 'PUT',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ files: [{ name: 'Dockerfile', content: draft }] }),
    });
    assert.equal(saved.status, 200);

    const opened = Date.now();
    const page = new Page(cookie);
    await page.waitFor(/\$ $/);
    t.diagnostic(
      `first prompt ${page.firstOutputAt - opened} ms after the page opened the socket (workstation started cold)`,
    );
    assert.ok(page.firstOutputAt - opened < 3_000, `prompt after ${page.firstOutputAt - opened} ms`);
    assert.deepEqual(page.messages[0], { type: 'ready', session: page.session, offset: 0 });

    page.type('echo hi-$((6*7))\r');
    await page.waitFor(/hi-42\r\n/);
    // The shell learns its new size from SIGWINCH, whenever the engine delivers it.
    page.type('trap \'echo "size $(stty size)"\' WINCH\r');
    await page.waitFor(/WINCH\r\n.*\$ $/s);
    page.control({ type: 'resize', cols: 132, rows: 43 });
    await page.waitFor(/size 43 132/);

    // The draft is in /work; a newer draft replaces it as soon as it is saved.
    page.type('tail -1 Dockerfile; ls\r');
    await page.waitFor(/CMD \["node", "-e", "console\.log\(1\)"\]\r\nDockerfile\s+server\.js/);
    await fetch(`${server.base}/api/drafts?exerciseId=${EXERCISE}`, {
      method: 'PUT',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ files: [{ name: 'Dockerfile', content: 'FROM lab/node\nCMD ["node", "server.js"]\n' }] }),
    });
    page.type('tail -1 Dockerfile\r');
    await page.waitFor(/CMD \["node", "server\.js"\]/);

    // Unknown control messages are answered, not fatal.
    page.control({ type: 'explode' });
    await page.until(() => page.messages.some((message) => message.type === 'error'), 'an error message');

    page.type('exit 7\r');
    assert.equal(await page.closed, 1000);
    assert.deepEqual(page.messages.at(-1), { type: 'exit', code: 7 });
  });

  test('a flood is held to what a slow page acknowledges, and arrives whole', async () => {
    const page = new Page(await newLearner());
    await page.waitFor(/\$ $/);
    page.autoAck = false;
    page.type('yes | head -c 20000000; echo flood-$((1+1))\r');
    // The page acknowledges every 50 ms only: without flow control the server would send megabytes between.
    const slowAcks = setInterval(() => page.ack(), 50);
    try {
      await page.waitFor(/flood-2\r\n/, 120_000);
    } finally {
      clearInterval(slowAcks);
    }
    const bound = TERMINAL_LIMITS.highWaterBytes + TERMINAL_LIMITS.frameBytes;
    assert.ok(page.maxAhead <= bound, `the server ran ${page.maxAhead} bytes ahead of the page; the bound is ${bound}`);
    const ys = page.text.match(/y\r\n/g)?.length ?? 0;
    assert.equal(ys, 10_000_000, 'every line of the flood once');
    page.ws.close();
  });

  test('a dropped connection comes back to the same shell, with no byte repeated or lost', async () => {
    const cookie = await newLearner();
    const first = new Page(cookie);
    await first.waitFor(/\$ $/);
    first.type('KEPT=kept-$((2+3)); echo pid-$$\r');
    const [, pid] = await first.waitFor(/pid-(\d+)\r\n/);
    first.type('seq 1 40000; echo seq-$((1+1))\r');
    await first.waitFor(/\r\n2000\r\n/);
    first.ws.terminate(); // as a network drop: no close handshake
    const seen = first.end;

    const second = new Page(cookie, { session: first.session!, offset: String(seen) });
    await second.until(() => second.session, 'ready');
    assert.equal(second.session, first.session, 'the same shell');
    assert.equal(second.base, seen, 'from the first byte the page had not seen');
    await second.waitFor(/seq-2\r\n/);
    second.type('echo "$KEPT" pid-$$\r');
    await second.waitFor(new RegExp(`kept-5 pid-${pid}\\r\\n`));

    // Bash switches bracketed paste off (and returns the cursor) before a command's output: not the command's bytes.
    const whole = Buffer.concat([first.output.subarray(0, seen - first.base), second.output])
      .toString('latin1')
      .replace(/\x1b\[\?2004l\r?/g, '');
    const command = 'seq 1 40000; echo seq-$((1+1))\r\n';
    const numbers = whole
      .slice(whole.indexOf(command) + command.length, whole.indexOf('seq-2\r\n'))
      .split('\r\n')
      .filter(Boolean);
    assert.equal(numbers.length, 40_000, 'every line once');
    const wrong = numbers.findIndex((line, index) => line !== String(index + 1));
    assert.equal(
      wrong,
      -1,
      `line ${wrong + 1} reads ${JSON.stringify(numbers[wrong])}: in order, nothing lost or repeated`,
    );
    second.ws.close();
  });

  test("a learner cannot resume another learner's shell", async () => {
    const owner = new Page(await newLearner());
    await owner.waitFor(/\$ $/);
    owner.type('MINE=owner-$((1+1)); echo set-$((1+1))\r');
    await owner.waitFor(/set-2\r\n/);
    const intruder = new Page(await newLearner(), { session: owner.session!, offset: '0' });
    await intruder.until(() => intruder.session, 'ready');
    assert.notEqual(intruder.session, owner.session, "a new shell of their own, not the other learner's");
    intruder.type('echo "[$MINE]"\r');
    await intruder.waitFor(/\[\]\r\n/);
    assert.ok(!intruder.text.includes('owner-2'));
    owner.ws.close();
    intruder.ws.close();
  });
});
