// The engine's event stream, narrowed to the lifecycle events of one run's containers.
import type Docker from 'dockerode';
import type { Readable } from 'node:stream';
import type { EngineEvent, Stoppable } from './engine';
import { withEngineDeadline } from './engine-deadline';
import { RUN_LABEL } from './labels';
import { splitLines } from './line-splitter';

const LIFECYCLE: readonly string[] = ['create', 'start', 'die', 'oom', 'kill', 'stop', 'restart', 'destroy'];

/** Follows lifecycle events of the containers labelled with `runId`; resolves once the stream is open. */
export async function followContainerEvents(
  docker: Docker,
  runId: string,
  onEvent: (event: EngineEvent) => void,
): Promise<Stoppable> {
  const stream = (await withEngineDeadline('opening the event stream', () =>
    docker.getEvents({
      filters: { type: ['container'], label: [`${RUN_LABEL}=${runId}`] },
    }),
  )) as unknown as Readable;
  // NDJSON, and a chunk may end in the middle of a line.
  const lines = splitLines((line) => {
    let message: { Action?: string; id?: string; timeNano?: number; Actor?: { Attributes?: Record<string, string> } };
    try {
      message = JSON.parse(line);
    } catch {
      return;
    }
    const action = message.Action ?? '';
    if (!LIFECYCLE.includes(action)) return;
    const { exitCode, signal } = message.Actor?.Attributes ?? {};
    onEvent({
      containerId: message.id ?? '',
      action: action as EngineEvent['action'],
      time: message.timeNano ? Math.round(message.timeNano / 1e6) : Date.now(),
      exitCode: exitCode === undefined ? undefined : Number(exitCode),
      // The engine names the signal by its number ("15").
      signal: signal !== undefined && /^\d+$/.test(signal) ? Number(signal) : undefined,
    });
  });
  stream.on('data', (chunk: Buffer) => lines.push(chunk.toString('utf8')));
  stream.on('error', () => undefined);
  return { stop: () => stream.destroy() };
}
