// A run's event stream is the run's until the run closes it, even when the run ends (a build that
// fails at once) before the engine has opened the stream.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Engine } from '../sandbox/engine';
import { RunEvents } from './run-events';

test('a stream that opens after the run closed is stopped at once', async () => {
  let stopped = 0;
  let openStream: () => void = () => undefined;
  // The engine's event stream is the one part stood in for: its opening is what must come late.
  const engine = {
    events: () => new Promise((resolve) => (openStream = () => resolve({ stop: () => (stopped += 1) }))),
  } as unknown as Engine;
  const events = new RunEvents();
  const opened = events.open(engine, 'r1');
  events.close();
  openStream();
  await opened;
  assert.equal(stopped, 1);
});

test('a stream the engine ends tells the run it lost its engine; one the run closed does not', async () => {
  const ends: ((detail: string) => void)[] = [];
  // The engine's event stream is stood in for: its ending is what the engine does when dockerd goes away.
  const engine = {
    events: (_runId: string, _onEvent: unknown, onEnd: (detail: string) => void) => {
      ends.push(onEnd);
      return Promise.resolve({ stop: () => undefined });
    },
  } as unknown as Engine;
  const lost: string[] = [];
  const live = new RunEvents();
  await live.open(engine, 'r1', (detail) => lost.push(detail));
  const closed = new RunEvents();
  await closed.open(engine, 'r2', (detail) => lost.push(`closed run: ${detail}`));
  closed.close();
  ends[1]('the event stream closed');
  ends[0]('the engine ended the event stream');
  assert.deepEqual(lost, ['the engine ended the event stream']);
});
