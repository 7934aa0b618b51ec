// The lab server: HTTP in front of Next.js. It runs in the foreground, logs to stdout, writes no PID
// file, and on SIGTERM or SIGINT stops taking requests, ends the runs it started and exits 0.
import http from 'node:http';
import next from 'next';
import { config as settings, ConfigError } from './lib/config';
import { markInterruptedAttempts } from './lib/db/learner-store';
import { BALANCER_HEADER, CellPlacement } from './lib/realtime/cell-placement';
import { CELL_REGISTRY_DEFAULTS } from './lib/realtime/cell-registry';
import { configureLog, log } from './lib/log';
import { reap } from './lib/sandbox/reaper';
import { TERMINAL_PATH } from './lib/terminal/terminal-protocol';
import { removeDeadSockets } from './lib/workstation/socket-dir';
import { workstationTerminals } from './lib/workstation/workstation-terminals';
import { services } from './lib/services';
import { signalTrace } from './lib/observe/signal-trace';

const SHUTDOWN_GRACE_MS = 10_000;
const CELL_ATTEMPT_MAX_AGE_MS = 60 * 60_000;

async function main() {
  const config = settings();
  configureLog({ stream: process.stdout, level: config.LAB_LOG });
  // Every shared service of the server, wired in one place (lib/services.ts).
  const lab = services();
  const engine = lab.engine;
  // Containers of runs a killed server left are reaped; their attempts can never finish.
  await reap(engine.docker, 'orphans');
  const deadSockets = await removeDeadSockets();
  if (deadSockets) log.info('Removed learner sockets an earlier server left', { sockets: deadSockets });
  // Opened now, so that the trace instances a killed server left are removed before the first run.
  if (engine.local)
    log.info(
      signalTrace()
        ? 'Tracing which process signals which (tracefs)'
        : 'Signals are not traced here (no tracefs): checks judge a stop signal path from the process samples',
    );
  if (lab.cellBus) {
    await lab.cellBus.connect();
    log.info('Relaying to the other cells of this lab through PostgreSQL', { cell: lab.cellBus.cellId });
  }
  await lab.cellRegistry?.start();
  // From now on the engine is watched: an outage is logged, and the reaper runs every LAB_REAP_INTERVAL_MS.
  lab.engineWatch.start();
  // One server alone: whatever is still running was its own, and died with it. One cell of several:
  // only attempts older than any run lasts (an hour; a run's deadlines and the queue end sooner).
  const interrupted = await markInterruptedAttempts(
    lab.cellBus ? new Date(Date.now() - CELL_ATTEMPT_MAX_AGE_MS) : undefined,
  );
  if (interrupted) log.warn('Attempts interrupted by an earlier stop of the server', { attempts: interrupted });

  const app = next({ dev: false, dir: process.cwd(), hostname: config.HOST ?? 'localhost', port: config.PORT });
  await app.prepare();
  const handle = app.getRequestHandler();
  // One cell of several behind the balancer: a learner without a cell of their own is placed first.
  const placement = config.LAB_CELL ? new CellPlacement(config.LAB_CELL, CELL_REGISTRY_DEFAULTS.silentMs) : undefined;
  let unplaced = false;
  const serve = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!placement && !unplaced && req.headers[BALANCER_HEADER]) {
      unplaced = true;
      log.warn("Requests come through the lab's balancer, but this server is no cell: set LAB_CELL (README)");
    }
    const placed = await placement?.decide(req);
    if (placed?.setCookie) res.appendHeader('set-cookie', placed.setCookie);
    if (placed && !placed.serve) {
      res.writeHead(307, { location: placed.location, 'cache-control': 'no-store' }).end();
      return;
    }
    await handle(req, res);
  };
  const server = http.createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      log.error('Request failed', { url: req.url, error: error instanceof Error ? error.stack : String(error) });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error');
    });
  });
  // An idle keep-alive connection is closed by the side that waits less. Node's 5 s made it the server,
  // and a client that sent its next request as the server closed got ECONNRESET (seen in the browser
  // tests: an API client idle for about 5 s). 65 s outlasts a balancer's usual 60 s (nginx's upstream
  // keepalive_timeout), so the balancer or the client closes first; headers are still due within 66 s.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  // WebSockets: the terminal here; anything else is Next.js's (it has none in production today).
  const terminals = workstationTerminals(lab.workstations);
  const nextUpgrade = app.getUpgradeHandler?.();
  server.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://lab').pathname === TERMINAL_PATH)
      return terminals.handleUpgrade(req, socket, head);
    if (nextUpgrade) return void nextUpgrade(req, socket, head);
    socket.destroy();
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      log.warn('Second signal: exiting now', { signal });
      process.exit(1);
    }
    stopping = true;
    log.info('Shutting down', { signal });
    const force = setTimeout(() => {
      log.error('Shutdown took too long; exiting', { graceMs: SHUTDOWN_GRACE_MS });
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    server.close();
    server.closeAllConnections();
    terminals.close('the lab is shutting down');
    lab.engineWatch.stop();
    try {
      await Promise.all([lab.runHub.stopAll(), lab.workstations.stopAll(), lab.incidents.stopAll()]);
      await reap(engine.docker, 'mine');
      await lab.cellBus?.close();
      await lab.cellRegistry?.stop();
      await lab.cellLimits?.close();
    } catch (error) {
      log.error("Failed to remove this server's containers on shutdown", { error: String(error) });
    }
    log.info('Stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  server.listen(config.PORT, config.HOST, () => {
    log.info('Lab listening', { url: `http://localhost:${config.PORT}`, pid: process.pid });
  });
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    log.error('The lab server could not start: a setting is not valid (README, Settings)', {
      problems: error.problems,
    });
    process.exit(1);
  }
  log.error('The lab server could not start', { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
