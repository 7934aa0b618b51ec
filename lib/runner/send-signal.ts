// How a signal step reaches its process: PID 1 and the others take different paths.
import type { ProcessInfo } from '../observe/timeline-event';
import type { Engine } from '../sandbox/engine';

/**
 * Signals a process of a container. PID 1 gets `docker kill`: only the engine, from outside the
 * container's PID namespace, can deliver signals PID 1 has no handler for. Other processes are
 * signalled by host PID when the engine can do that from here, else with `kill` inside the container.
 */
export async function sendSignal(
  engine: Engine,
  containerId: string,
  target: ProcessInfo,
  signal: string,
): Promise<void> {
  if (target.pid === 1) {
    await engine.kill(containerId, signal);
    return;
  }
  if (target.hostPid) {
    try {
      await engine.signalProcess(target.hostPid, signal);
      return;
    } catch {
      /* not permitted from here: fall back to kill inside the container */
    }
  }
  await engine.exec(containerId, ['kill', '-s', signal.replace(/^SIG/, ''), String(target.pid)], 5_000);
}
