// The engine's event stream, narrowed to the lifecycle events of one run's containers.
import type Docker from 'dockerode';
import type { Readable } from 'node:stream';
import type { EngineEvent, Stoppable } from './engine';
import { withEngineDeadline } from './engine-deadline';
import { RUN_LABEL } from './labels';
import { splitLines } from './line-splitter';

const LIFECYCLE: readonly string[] = ['create', 'start', 'die', 'oom', 'kill', 'stop', 'restart', 'destroy'];

/**
 * Follows lifecycle events of the containers labelled with `runId`; resolves once the stream is open.
 * `onEnd` is called if the stream ends before it is stopped: the engine closed it (it restarted or stopped).
 */
export async function followContainerEvents(
  docker: Docker,
  runId: string,
  onEvent: (event: EngineEvent) => void,
  onEnd?: (detail: string) => void,
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
  let stopped = false;
  let ended = false;
  const end = (detail: string) => {
    if (stopped || ended) return;
    ended = true;
    onEnd?.(detail);
  };
  stream.on('data', (chunk: Buffer) => lines.push(chunk.toString('utf8')));
  stream.on('error', (error) => end(`the event stream failed: ${error.message}`));
  stream.on('end', () => end('the engine ended the event stream'));
  stream.on('close', () => end('the event stream closed'));
  return {
    stop: () => {
      stopped = true;
      stream.destroy();
    },
  };
}
