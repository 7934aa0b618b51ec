// A second Docker engine on this machine, for tests that must stop or restart an engine without
// touching the one every other test uses: its own socket, data root, exec root (and so its own
// containerd), pid file and log, no bridge and no iptables rules (learner containers have no network).
// The lab's images are copied into it from the main engine once (`docker save | docker load`, about
// half a gigabyte), and kept in its data root for the next test run.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import Docker from 'dockerode';
import { DOCKERD_ARGS } from './ensure-docker-engine.mjs';

// LAB_SECOND_ENGINE names another one (lab-docker-3, say): a soak or a bench beside the tests.
const NAME = process.env.LAB_SECOND_ENGINE ?? 'lab-docker-2';
if (!/^lab-docker-\d+$/.test(NAME)) throw new Error(`LAB_SECOND_ENGINE must be lab-docker-<n>, not ${NAME}`);
export const SECOND_ENGINE = {
  socket: `/var/run/${NAME}.sock`,
  host: `unix:///var/run/${NAME}.sock`,
  dataRoot: `/var/lib/${NAME}`,
  execRoot: `/var/run/${NAME}`,
  pidfile: `/var/run/${NAME}.pid`,
  log: `/var/log/${NAME}.log`,
};

/** The images a lab server needs on its engine to start and run `main-process-exit` exercises. */
const IMAGES = ['debian:bookworm-slim', 'lab/node:latest', 'lab/workstation:latest'];

export class SecondEngine {
  readonly docker = new Docker({ socketPath: SECOND_ENGINE.socket });
  private daemon: ChildProcess | null = null;

  /** Starts dockerd (a crash's leftover one is stopped first) and waits until it answers. */
  async start(): Promise<void> {
    await this.stopLeftover();
    const out = fs.openSync(SECOND_ENGINE.log, 'a');
    this.daemon = spawn(
      'dockerd',
      [
        ...DOCKERD_ARGS,
        `--host=${SECOND_ENGINE.host}`,
        `--data-root=${SECOND_ENGINE.dataRoot}`,
        `--exec-root=${SECOND_ENGINE.execRoot}`,
        `--pidfile=${SECOND_ENGINE.pidfile}`,
        '--bridge=none',
        '--iptables=false',
        '--ip-masq=false',
      ],
      { stdio: ['ignore', out, out] },
    );
    fs.closeSync(out);
    for (let waited = 0; waited < 60_000; waited += 200) {
      if (await this.answers()) return;
      if (this.daemon.exitCode !== null) break;
      await delay(200);
    }
    throw new Error(`the second dockerd did not answer within 60 s; see ${SECOND_ENGINE.log}`);
  }

  async answers(): Promise<boolean> {
    return this.docker.ping().then(
      () => true,
      () => false,
    );
  }

  /**
   * kill -9 of dockerd, as a crash; resolves once it and its containerd are gone. Its containerd
   * outlives it for a moment, then stays a zombie until this machine's init reaps it: a dockerd
   * started meanwhile reads containerd's pid file, finds the PID alive, waits for a socket that is
   * gone, never starts its own containerd and gives up ("timeout waiting for containerd to start").
   */
  async crash(): Promise<void> {
    const daemon = this.daemon;
    if (!daemon || daemon.exitCode !== null || daemon.signalCode !== null) return;
    const gone = new Promise((resolve) => daemon.once('exit', resolve));
    daemon.kill('SIGKILL');
    await gone;
    await this.containerdGone();
  }

  /** Waits until the containerd of this engine has exited (10 s, then kill -9), and forgets its pid file. */
  private async containerdGone(): Promise<void> {
    const pidfile = `${SECOND_ENGINE.execRoot}/containerd/containerd.pid`;
    const pid = fs.existsSync(pidfile) ? Number(fs.readFileSync(pidfile, 'utf8').trim()) : 0;
    // Running (a zombie has no command line, and holds nothing).
    const running = () => {
      try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(SECOND_ENGINE.execRoot);
      } catch {
        return false;
      }
    };
    for (let waited = 0; pid && running(); waited += 100) {
      if (waited >= 10_000) process.kill(pid, 'SIGKILL');
      await delay(100);
    }
    fs.rmSync(pidfile, { force: true });
  }

  /**
   * Stops dockerd as an operator would (SIGTERM: it stops its containers first), and takes away the
   * mount it keeps on its data root, so that nothing of it is left on the machine but its files.
   */
  async stop(): Promise<void> {
    const daemon = this.daemon;
    if (daemon && daemon.exitCode === null && daemon.signalCode === null) {
      const gone = new Promise((resolve) => daemon.once('exit', resolve));
      daemon.kill('SIGTERM');
      await gone;
    }
    const mounts = fs
      .readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((line) => line.split(' ')[4])
      .filter((point) => point?.startsWith(`${SECOND_ENGINE.dataRoot}/`) || point === SECOND_ENGINE.dataRoot)
      .sort((a, b) => b.length - a.length);
    for (const point of mounts) spawnSync('umount', [point], { stdio: 'ignore' });
  }

  /** Copies the lab's images from the main engine where this one lacks them or has older ones. */
  async copyImages(main: Docker): Promise<void> {
    const missing: string[] = [];
    for (const name of IMAGES) {
      const source = await main.getImage(name).inspect();
      const here = await this.docker
        .getImage(name)
        .inspect()
        .catch(() => null);
      if (here?.Id !== source.Id) missing.push(name);
    }
    if (missing.length === 0) return;
    const tar = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
      main.modem.dial(
        {
          path: '/images/get?',
          method: 'GET',
          options: { names: missing },
          isStream: true,
          statusCodes: { 200: true },
        },
        (error: unknown, stream: unknown) => (error ? reject(error) : resolve(stream as NodeJS.ReadableStream)),
      ),
    );
    const loading = (await this.docker.loadImage(tar, { quiet: true })) as NodeJS.ReadableStream;
    await new Promise<void>((resolve, reject) => {
      loading.on('data', () => undefined);
      loading.on('end', resolve);
      loading.on('error', reject);
    });
  }

  /** A dockerd this file started in an earlier, killed test run: stopped by its pid file. */
  private async stopLeftover(): Promise<void> {
    const pid = fs.existsSync(SECOND_ENGINE.pidfile)
      ? Number(fs.readFileSync(SECOND_ENGINE.pidfile, 'utf8').trim())
      : 0;
    if (!pid) return;
    try {
      if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(SECOND_ENGINE.dataRoot)) return;
      process.kill(pid, 'SIGTERM');
    } catch {
      return;
    }
    for (let waited = 0; waited < 30_000 && fs.existsSync(`/proc/${pid}`); waited += 200) await delay(200);
  }
}
