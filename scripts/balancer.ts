// nginx in front of a test's cells (scripts/nginx-config.ts), in the foreground as a child of the test:
// its configuration, PID file and temporary files in a folder of its own, removed when it stops.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { nginxConfig, type BalancedCell } from './nginx-config';

export class Balancer {
  private constructor(
    readonly base: string,
    private readonly child: ChildProcess,
    private readonly dir: string,
    private readonly log: () => string,
  ) {}

  /** Starts nginx on `port` in front of `cells` and waits until it answers. */
  static async start(cells: BalancedCell[], port: number): Promise<Balancer> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-balancer-'));
    // nginx's workers (www-data) write request bodies and responses into these.
    fs.mkdirSync(path.join(dir, 'temp'), { mode: 0o777 });
    fs.chmodSync(path.join(dir, 'temp'), 0o777);
    fs.writeFileSync(
      path.join(dir, 'nginx.conf'),
      nginxConfig(cells, { listen: `127.0.0.1:${port}`, pidFile: path.join(dir, 'nginx.pid'), tempDir: `${dir}/temp` }),
    );
    const args = ['-e', 'stderr', '-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'];
    const tested = spawnSync('nginx', ['-t', ...args.slice(0, -2)], { encoding: 'utf8' });
    if (tested.status !== 0) throw new Error(`nginx refused the configuration: ${tested.stderr}`);
    let output = '';
    const child = spawn('nginx', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const balancer = new Balancer(`http://127.0.0.1:${port}`, child, dir, () => output);
    for (let waited = 0; ; waited += 100) {
      const answered = await fetch(`${balancer.base}/api/health`).then(
        () => true,
        () => false,
      );
      if (answered) return balancer;
      if (child.exitCode !== null || waited > 10_000) {
        balancer.cleanUp();
        throw new Error(`nginx did not start: ${output}`);
      }
      await delay(100);
    }
  }

  /** What nginx wrote (warnings and errors). */
  output(): string {
    return this.log();
  }

  /** Stops nginx (SIGTERM: at once, open streams and terminals closed) and removes its folder. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      const quick = await Promise.race([exited.then(() => true), delay(5_000).then(() => false)]);
      if (!quick) {
        this.child.kill('SIGKILL');
        await exited;
      }
    }
    this.cleanUp();
  }

  private cleanUp(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
