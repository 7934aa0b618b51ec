// A container's output as lines, each with the time the engine stamped it.
import type Docker from 'dockerode';
import type { Readable } from 'node:stream';
import { demux } from './demux';
import type { OutputLine, Stoppable } from './engine';
import { withEngineDeadline } from './engine-deadline';
import { splitLines } from './line-splitter';

/** Follows a container's output from `sinceMs` on, until it stops (then `finished` resolves) or this is stopped. */
export async function followContainerLogs(
  docker: Docker,
  containerId: string,
  sinceMs: number,
  onLine: (line: OutputLine) => void,
): Promise<Stoppable> {
  const raw = (await withEngineDeadline("opening a container's logs", () =>
    docker.getContainer(containerId).logs({
      follow: true,
      stdout: true,
      stderr: true,
      timestamps: true,
      since: Math.floor(sinceMs / 1000),
    }),
  )) as unknown as Readable;
  const splitters = {
    stdout: splitLines((line) => emit('stdout', line)),
    stderr: splitLines((line) => emit('stderr', line)),
  };
  function emit(stream: 'stdout' | 'stderr', line: string) {
    const space = line.indexOf(' ');
    const time = Date.parse(line.slice(0, space));
    if (!Number.isNaN(time) && time < sinceMs) return; // `since` has whole-second precision
    onLine({ stream, text: line.slice(space + 1), time: Number.isNaN(time) ? Date.now() : time });
  }
  demux(raw, (kind, payload) => splitters[kind].push(payload.toString('utf8')));
  const finished = new Promise<void>((resolve) => {
    raw.on('end', () => {
      splitters.stdout.flush();
      splitters.stderr.flush();
      resolve();
    });
    raw.on('close', () => resolve());
    raw.on('error', () => resolve());
  });
  return { stop: () => raw.destroy(), finished };
}
