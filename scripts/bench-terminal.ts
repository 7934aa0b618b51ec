// The terminal's figures for `npm run bench`:
//   (g) workstation ready: proxy + container started, then a login shell answering, with the image present
//   (h) the Docker API proxy's overhead: `docker ps`, `docker inspect`, `docker run -d` through a learner's
//       proxy against the same commands straight to the engine, in the same run, as ratios of medians
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startDockerProxy } from '../lib/proxy/docker-proxy';
import { removeTerminalResources } from '../lib/proxy/terminal-resources';
import { engineContainerName, scopeOf } from '../lib/proxy/scope';
import { DockerEngine, dockerFromEnv } from '../lib/sandbox/docker-engine';
import { DockerWorkstationHost } from '../lib/sandbox/docker-workstation-host';
import { RUN_LIMITS } from '../lib/sandbox/limits';
import { WorkstationManager } from '../lib/workstation/workstation-manager';
import { percentile } from './bench-browser';
import { TerminalWatches } from '../lib/proxy/terminal-watches';

const run = promisify(execFile);
const round = (value: number, digits = 2) => Number(value.toFixed(digits));

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

function summary(values: number[]) {
  return { median: round(percentile(values, 50), 1), p95: round(percentile(values, 95), 1) };
}

/** (g) From nothing to a shell that has answered, `rounds` times. */
async function benchWorkstation(rounds: number) {
  const owner = `bench-workstation-${process.pid}`;
  const manager = new WorkstationManager({
    host: new DockerWorkstationHost(),
    startProxy: (options) => startDockerProxy({ ...options, watches: new TerminalWatches(new DockerEngine()) }),
    idleMs: 60_000,
  });
  const container: number[] = [];
  const ready: number[] = [];
  try {
    for (let i = 0; i < rounds; i += 1) {
      const t0 = performance.now();
      const station = await manager.ensure(owner);
      container.push(station.startMs);
      const shell = await manager.openShell(owner, { cols: 80, rows: 24 });
      await new Promise<void>((resolve, reject) => {
        let seen = '';
        const timer = setTimeout(() => reject(new Error('the shell did not answer within 10 s')), 10_000);
        // The typed line is echoed as typed; only the shell's answer contains "bench-2".
        shell.onData((chunk) => {
          seen += chunk.toString('utf8');
          if (seen.includes('bench-2')) {
            clearTimeout(timer);
            resolve();
          }
        });
        shell.write(Buffer.from('echo bench-$((1+1))\n'));
      });
      ready.push(performance.now() - t0);
      shell.close();
      await manager.stop(owner);
    }
  } finally {
    await manager.stopAll();
  }
  return { rounds, container_started_ms: summary(container), shell_answered_ms: summary(ready), target_ms: 1000 };
}

/** (h) Each command through the proxy and straight to the engine, alternating, `rounds` times. */
async function benchProxy(rounds: number) {
  const docker = dockerFromEnv();
  const owner = `bench-proxy-${process.pid}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-bench-proxy-'));
  const proxy = await startDockerProxy({
    owner,
    socketPath: path.join(dir, 'docker.sock'),
    watches: new TerminalWatches(new DockerEngine(docker)),
  });
  const viaProxy = { ...process.env, DOCKER_HOST: `unix://${proxy.socketPath}` };
  const direct = { ...process.env };
  delete direct.DOCKER_HOST;
  const cli = (env: NodeJS.ProcessEnv, args: string[]) => run('docker', args, { env });
  // The same limits on both sides, so that the engine does the same work.
  const limits = [
    '--network',
    'none',
    '-m',
    String(RUN_LIMITS.memoryBytes),
    '--pids-limit',
    String(RUN_LIMITS.pids),
    '--cpus',
    '0.5',
    '--cap-drop',
    'ALL',
    '--security-opt',
    'no-new-privileges',
  ];
  const directIds: string[] = [];
  const figures: Record<string, { proxy: number[]; engine: number[] }> = {
    ps: { proxy: [], engine: [] },
    inspect: { proxy: [], engine: [] },
    run_d: { proxy: [], engine: [] },
  };
  try {
    await cli(viaProxy, ['run', '-d', '--name', 'my-api', 'lab/node', 'sleep', '600']);
    const engineName = engineContainerName(scopeOf(owner), 'my-api');
    for (let i = 0; i < rounds; i += 1) {
      figures.ps.proxy.push(await timed(() => cli(viaProxy, ['ps'])));
      figures.ps.engine.push(await timed(() => cli(direct, ['ps'])));
      figures.inspect.proxy.push(await timed(() => cli(viaProxy, ['inspect', 'my-api'])));
      figures.inspect.engine.push(await timed(() => cli(direct, ['inspect', engineName])));
      figures.run_d.proxy.push(await timed(() => cli(viaProxy, ['run', '-d', '--rm', 'lab/node', 'sleep', '600'])));
      figures.run_d.engine.push(
        await timed(async () => {
          const { stdout } = await cli(direct, ['run', '-d', '--rm', ...limits, 'lab/node', 'sleep', '600']);
          directIds.push(stdout.trim());
        }),
      );
      // Stay inside the learner's container quota: keep only my-api between rounds.
      await removeTerminalResources(owner, docker);
      await cli(viaProxy, ['run', '-d', '--name', 'my-api', 'lab/node', 'sleep', '600']);
    }
  } finally {
    await removeTerminalResources(owner, docker);
    for (const id of directIds)
      await docker
        .getContainer(id)
        .remove({ force: true })
        .catch(() => undefined);
    await proxy.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const result: Record<string, unknown> = { rounds, target_ratio: 1.2 };
  for (const [name, { proxy: p, engine: e }] of Object.entries(figures)) {
    result[name] = { proxy_ms: summary(p), engine_ms: summary(e), ratio: round(percentile(p, 50) / percentile(e, 50)) };
  }
  return result;
}

export async function benchTerminal(rounds: number) {
  return {
    g_workstation_ready: await benchWorkstation(Math.max(3, Math.round(rounds / 2))),
    h_proxy_overhead: await benchProxy(rounds),
  };
}
