// A scenario leaves nothing running behind it, even when its container is started again (a restart
// policy) while the scenario ends. That moment cannot be timed on the real engine, so the engine is the
// one part stood in for: it restarts the container while the scenario reads back what it wrote.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Timeline } from '../observe/timeline';
import type { ContainerState, Engine, EngineEvent } from '../sandbox/engine';
import { RUN_LIMITS } from '../sandbox/limits';
import { RunEvents } from './run-events';
import { ScenarioRun } from './scenario-runner';

const CONTAINER = 'c1';

/** The stood-in container as the engine's inspection reports it: node running, never restarted. */
function runningContainer(): ContainerState {
  return {
    running: true,
    restarting: false,
    pid: 0,
    exitCode: 0,
    oomKilled: false,
    restartCount: 0,
    startedAt: Date.now(),
    finishedAt: 0,
    command: ['node', 'server.js'],
    name: '/c1',
    labels: {},
    image: 'lab/node',
  };
}

/** An engine whose one container runs, and starts again when its changes are read (the scenario's end). */
function restartingEngine() {
  let emit: (event: EngineEvent) => void = () => undefined;
  let restartSampled: () => void = () => undefined;
  let restarted = false;
  const start = () => emit({ containerId: CONTAINER, action: 'start', time: Date.now() });
  const state = runningContainer();
  const engine: Partial<Engine> = {
    local: false,
    events: async (_runId, onEvent) => {
      emit = onEvent;
      return { stop: () => undefined };
    },
    create: async () => CONTAINER,
    start: async () => void setImmediate(start),
    inspect: async () => state,
    logs: async () => ({ stop: () => undefined }),
    diskUsage: async () => null,
    top: async () => {
      if (restarted) restartSampled();
      return [{ pid: 100, ppid: 0, state: 'S', command: 'node server.js' }];
    },
    // Read at the scenario's end: the container starts again meanwhile, and is sampled, before the answer.
    diff: () =>
      new Promise((resolve) => {
        restartSampled = () => resolve([]);
        restarted = true;
        start();
      }),
    removeContainer: async () => undefined,
  };
  return engine as Engine;
}

test('a container started again as its scenario ends leaves no timer running', async (t) => {
  const live = new Set<unknown>();
  const realSetInterval = globalThis.setInterval;
  const realClearInterval = globalThis.clearInterval;
  t.mock.method(globalThis, 'setInterval', (...args: Parameters<typeof setInterval>) => {
    const timer = realSetInterval(...args);
    live.add(timer);
    return timer;
  });
  t.mock.method(globalThis, 'clearInterval', (timer: NodeJS.Timeout) => {
    live.delete(timer);
    realClearInterval(timer);
  });

  const engine = restartingEngine();
  const events = new RunEvents();
  await events.open(engine, 'r1');
  const timeline = new Timeline();
  const labels = { runId: 'r1', owner: 'test', expiresAt: Date.now() + 60_000 };
  const scenario = {
    id: 'restarts',
    description: 'the container restarts',
    run: { env: {}, restart: { policy: 'always' as const }, init: false },
    draw: {},
    actions: [{ do: 'wait' as const, ms: 1 }],
  };
  await new ScenarioRun(
    { engine, timeline, events, labels, image: 'lab/node', limits: { ...RUN_LIMITS } },
    scenario,
  ).run();
  events.close();

  const left = [...live];
  for (const timer of left) realClearInterval(timer as NodeJS.Timeout);
  assert.equal(left.length, 0, 'every interval the scenario started is cleared when it ends');
  const types = timeline.events().map((event) => event.type);
  assert.equal(types.filter((type) => type === 'container-start').length, 2, 'the restart was seen');
  assert.equal(types.at(-1), 'scenario-end');
});

test('a death is one Docker restarts even when the container is already running again when inspected', async () => {
  let emit: (event: EngineEvent) => void = () => undefined;
  let dies = 0;
  const state = runningContainer();
  const at = (action: 'start' | 'die', exitCode?: number) =>
    emit({ containerId: CONTAINER, action, time: Date.now(), exitCode });
  const engine: Partial<Engine> = {
    local: false,
    events: async (_runId, onEvent) => {
      emit = onEvent;
      return { stop: () => undefined };
    },
    create: async () => CONTAINER,
    start: async () => void setImmediate(() => at('start')),
    inspect: async () => state,
    logs: async () => ({ stop: () => undefined }),
    diskUsage: async () => null,
    // The first sample sees the app crash with 3; Docker has restarted it before the lab inspects it.
    top: async () => {
      if (dies++ === 0) {
        state.restartCount = 1;
        at('die', 3);
        setImmediate(() => at('start'));
      }
      return [{ pid: 100, ppid: 0, state: 'S', command: 'node server.js' }];
    },
    diff: async () => [],
    removeContainer: async () => undefined,
  };
  const events = new RunEvents();
  await events.open(engine as Engine, 'r2');
  const timeline = new Timeline();
  const labels = { runId: 'r2', owner: 'test', expiresAt: Date.now() + 60_000 };
  const scenario = {
    id: 'restarts',
    description: 'the container restarts',
    run: { env: {}, restart: { policy: 'on-failure' as const, maxRetries: 3 }, init: false },
    draw: {},
    actions: [{ do: 'wait' as const, ms: 50 }],
  };
  await new ScenarioRun(
    { engine: engine as Engine, timeline, events, labels, image: 'lab/node', limits: { ...RUN_LIMITS } },
    scenario,
  ).run();
  events.close();
  const die = timeline.events().find((event) => event.type === 'container-die');
  assert.ok(die && die.type === 'container-die');
  assert.equal(die.exitCode, 3);
  assert.equal(die.willRestart, true, 'running again when inspected: Docker restarted it');
});
