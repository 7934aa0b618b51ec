// The lab under soak: one lab server at a time, on a port and a database that outlive it, whose engine
// is the second dockerd (so that crashing it disturbs no other lab or test). Learners ask `whenUp()`
// before each request, so a server being replaced is awaited rather than polled.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { dockerFromEnv } from '../lib/sandbox/docker-engine';
import { log } from './soak-journal';
import { SecondEngine, SECOND_ENGINE } from './second-engine';
import { freePort } from './test-harness';

const root = path.resolve(import.meta.dirname, '..');

/** A fixed secret: every server of the soak must accept the cookies the previous one signed. */
const SOAK_SECRET = 'soak-secret-0123456789abcdef0123456789';

/** How long a server may take to listen: a start that rebuilds the web app takes minutes, not seconds. */
const LISTEN_TIMEOUT_MS = 10 * 60_000;

/** One lab server process of the soak. */
interface Server {
  child: ChildProcess;
  generation: number;
  exited: Promise<number | null>;
  /** Set before the soak itself kills or stops it: any other exit is a crash of the lab. */
  expectedExit: boolean;
}

export class SoakLab {
  readonly engine = new SecondEngine();
  readonly databaseUrl: string;
  base = '';
  private server: Server | null = null;
  private generation = 0;
  private markUp!: () => void;
  /** Pending while no server listens; one promise per outage, so that no waiter is ever left behind. */
  private up = new Promise<void>((resolve) => (this.markUp = resolve));
  private listening = false;
  private engineDown = false;
  /** Called when a listening server exits without being asked to (the soak then starts another). */
  onCrash: (generation: number, code: number | null) => void = () => undefined;
  /** Called when a server could not be started (it is tried again, up to three times). */
  onStartFailure: (reason: string) => void = () => undefined;

  constructor(readonly dir: string) {
    this.databaseUrl = `file:${path.join(dir, 'lab.db')}`;
  }

  /** Starts the second engine with the lab's images, and the first server. */
  async start(): Promise<void> {
    await this.engine.start();
    await this.engine.copyImages(dockerFromEnv());
    this.base = `http://127.0.0.1:${await freePort()}`;
    await this.startServer();
  }

  /** Resolves at once while a server listens, else when the next one does. */
  whenUp(): Promise<void> {
    return this.up;
  }

  /** True while a server listens and the soak is not replacing it. */
  get serverUp(): boolean {
    return this.listening;
  }

  /** True while the soak has its engine stopped on purpose (a run may then fail on it). */
  get engineAway(): boolean {
    return this.engineDown;
  }

  /** kill -9 of the server, then a new one on the same port and database; resolves once it listens. */
  async killServer(): Promise<{ killedAt: number; upAt: number; rebuilt: boolean }> {
    const server = this.server!;
    this.markDown();
    server.expectedExit = true;
    const killedAt = Date.now();
    server.child.kill('SIGKILL');
    await server.exited;
    const { rebuilt } = await this.startServer();
    return { killedAt, upAt: Date.now(), rebuilt };
  }

  /** kill -9 of dockerd, `downMs` without it, then started again; resolves once it answers. */
  async crashEngine(downMs: number): Promise<{ at: number; upAt: number }> {
    this.engineDown = true;
    const at = Date.now();
    await this.engine.crash();
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.engine.start();
    this.engineDown = false;
    return { at, upAt: Date.now() };
  }

  /** dockerd stopped as an operator would (SIGTERM) and started again; resolves once it answers. */
  async restartEngine(): Promise<{ at: number; upAt: number }> {
    this.engineDown = true;
    const at = Date.now();
    await this.engine.stop();
    await this.engine.start();
    this.engineDown = false;
    return { at, upAt: Date.now() };
  }

  /** SIGTERM, as an operator stops the lab; resolves with its exit code (null: a signal ended it). */
  async stopServer(): Promise<number | null> {
    const server = this.server;
    if (!server) return null;
    server.expectedExit = true;
    this.markDown();
    server.child.kill('SIGTERM');
    const code = await server.exited;
    this.server = null;
    return code;
  }

  /** Whatever happened: no server left running, the second engine stopped (and its mounts taken away). */
  async cleanup(): Promise<void> {
    const server = this.server;
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.expectedExit = true;
      server.child.kill('SIGTERM');
      const timer = setTimeout(() => server.child.kill('SIGKILL'), 15_000);
      await server.exited;
      clearTimeout(timer);
    }
    this.server = null;
    await this.engine.stop();
  }

  private markDown(): void {
    if (!this.listening) return;
    this.listening = false;
    this.up = new Promise((resolve) => (this.markUp = resolve));
  }

  /**
   * A server that listens, in up to three tries: a start can fail for reasons outside the lab (another
   * `next build` in the same folder at the same moment); each failure is reported, the third is fatal.
   * Resolves whether it had to rebuild the web app first (its sources changed while the soak ran).
   */
  private async startServer(): Promise<{ rebuilt: boolean }> {
    for (let tries = 1; ; tries++) {
      try {
        return await this.startOnce();
      } catch (error) {
        this.onStartFailure(String(error instanceof Error ? error.message : error));
        if (tries === 3) throw error;
      }
    }
  }

  /** Starts `node scripts/start.mjs` as a user does; its output goes to server-<n>.log in the soak's folder. */
  private async startOnce(): Promise<{ rebuilt: boolean }> {
    const generation = ++this.generation;
    const logFile = path.join(this.dir, `server-${generation}.log`);
    const child = spawn(process.execPath, ['scripts/start.mjs'], {
      cwd: root,
      env: {
        ...process.env,
        PORT: new URL(this.base).port,
        HOST: '127.0.0.1',
        LAB_LOG: 'info',
        DATABASE_URL: this.databaseUrl,
        DOCKER_HOST: SECOND_ENGINE.host,
        LAB_SECRET: SOAK_SECRET,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server: Server = {
      child,
      generation,
      expectedExit: false,
      exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
    };
    this.server = server;
    let output = '';
    let listened = false;
    const listening = new Promise<void>((resolve, reject) => {
      for (const stream of [child.stdout!, child.stderr!]) {
        stream.setEncoding('utf8').on('data', (chunk: string) => {
          fs.appendFileSync(logFile, chunk);
          if (listened) return;
          output += chunk;
          if (output.includes('Lab listening')) resolve();
        });
      }
      void server.exited.then((code) => {
        const last = output.trimEnd().split('\n').slice(-2).join(' / ');
        reject(new Error(`server ${generation} exited with ${code} before listening (${logFile}): ${last}`));
      });
      setTimeout(
        () => reject(new Error(`server ${generation} did not listen within ${LISTEN_TIMEOUT_MS / 1000} s`)),
        LISTEN_TIMEOUT_MS,
      ).unref();
    });
    void server.exited.then((code) => {
      if (server.expectedExit || !listened) return;
      log(`server ${generation} exited by itself with ${code}`);
      this.onCrash(generation, code);
    });
    await listening.catch((error: unknown) => {
      server.expectedExit = true;
      child.kill('SIGKILL');
      throw error;
    });
    listened = true;
    const rebuilt = output.includes('building the web app');
    log(
      `server ${generation} listening on ${this.base}${rebuilt ? ' after rebuilding the web app' : ''} (log ${logFile})`,
    );
    this.listening = true;
    this.markUp();
    return { rebuilt };
  }

  /** Starts a server again after one exited by itself (the soak goes on, and reports the crash). */
  async replaceCrashed(): Promise<void> {
    this.markDown();
    await this.startServer();
  }

  /** Stops the second engine as an operator would (before the check for what it left on the host). */
  async stopEngine(): Promise<void> {
    await this.engine.stop();
  }
}
