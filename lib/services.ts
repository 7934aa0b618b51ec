// The lab server's shared services, created and wired here and nowhere else: one Docker engine client,
// one pool of run slots, the buses, the run hub, the learners' incidents, terminal watches and
// workstations, and the rate limits. Routes and server.ts ask `services()`; the domain modules below get
// what they need from here as constructor arguments, never by reaching for a singleton themselves.
//
// Kept on globalThis: Next.js compiles route bundles apart from server.ts, and they must all share one
// set (one hub, one slot pool) in the one process.
import { randomBytes } from 'node:crypto';
import { createRunSlots } from './capacity/run-capacity';
import type { RunSlots } from './capacity/run-slots';
import { config, type Config } from './config';
import { memoryRateLimiters, type RateLimiter } from './http/rate-limiter';
import { LearnerIncidents } from './incidents/learner-incidents';
import { LearnerRateLimits } from './learners/learner-limits';
import { log } from './log';
import { startDockerProxy } from './proxy/docker-proxy';
import { removeTerminalResources } from './proxy/terminal-resources';
import { TerminalWatches } from './proxy/terminal-watches';
import { ActivityBus } from './realtime/activity';
import { CellBus } from './realtime/cell-bus';
import { CellLimits } from './cell-limits';
import { CELL_REGISTRY_DEFAULTS, CellRegistry } from './realtime/cell-registry';
import { RunHub } from './realtime/run-hub';
import { DockerEngine } from './sandbox/docker-engine';
import { DockerWorkstationHost } from './sandbox/docker-workstation-host';
import { EngineWatch } from './sandbox/engine-watch';
import { MemoryJoinQueue, type JoinQueue } from './workshops/join-queue';
import { WorkshopEvents } from './workshops/workshop-events';
import { WORKSHOP_POLICY } from './workshops/workshop-policy';
import { WorkstationManager } from './workstation/workstation-manager';

/** Rate limits of workshop actions (per address, per learner, per workshop). */
export interface WorkshopLimits {
  createsPerAddress: RateLimiter;
  createsOverall: RateLimiter;
  messagesPerWorkshop: RateLimiter;
  joinsPerLearner: RateLimiter;
  joinsPerAddress: RateLimiter;
  /** The joins of each workshop, one at a time (across the cells with LAB_CELL). */
  joinQueue: JoinQueue;
}

/** Everything one lab server shares between its requests. */
export interface LabServices {
  config: Config;
  engine: DockerEngine;
  /** Whether the engine answers (started by server.ts), and the periodic reaper. */
  engineWatch: EngineWatch;
  slots: RunSlots;
  activity: ActivityBus;
  /** With LAB_CELL: the relay of activity and workshop events to the lab's other cells (server.ts connects it). */
  cellBus?: CellBus;
  /** With LAB_CELL: this cell in the lab's registry of cells (server.ts starts it). */
  cellRegistry?: CellRegistry;
  workshopEvents: WorkshopEvents;
  incidents: LearnerIncidents;
  runHub: RunHub;
  terminalWatches: TerminalWatches;
  workstations: WorkstationManager;
  learnerLimits: LearnerRateLimits;
  workshopLimits: WorkshopLimits;
  /** With LAB_CELL: the connections through which the limits above are shared with the other cells (server.ts closes them). */
  cellLimits?: CellLimits;
}

function createServices(): LabServices {
  const settings = config();
  const engine = new DockerEngine();
  const slots = createRunSlots(settings);
  // One of several cells on one PostgreSQL database: what pages must see at once is relayed between them.
  const cell = settings.LAB_CELL;
  const cellId = cell ? `${cell}/${process.pid}/${randomBytes(3).toString('hex')}` : undefined;
  const cellBus = cellId ? new CellBus(settings.DATABASE_URL, cellId) : undefined;
  // Rate limits and join turns too, or each cell would grant every limit, and a workshop's last place, again.
  const cellLimits = cellId ? new CellLimits(settings.DATABASE_URL, cellId) : undefined;
  const limiters = cellLimits?.limiters ?? memoryRateLimiters;
  const activity = new ActivityBus(cellBus);
  const incidents = new LearnerIncidents(engine, slots);
  const engineWatch = new EngineWatch(engine, { pingMs: 5_000, reapMs: settings.LAB_REAP_INTERVAL_MS });
  const runHub = new RunHub({
    engine,
    slots,
    incidents,
    activity,
    cell: cellId,
    engineUp: () => engineWatch.state().up,
  });
  const terminalWatches = new TerminalWatches(engine);
  const workstations = new WorkstationManager({
    host: new DockerWorkstationHost(engine.docker),
    // A learner's terminal builds wait for the same slots as runs; their containers are watched.
    startProxy: (options) => startDockerProxy({ ...options, docker: engine.docker, slots, watches: terminalWatches }),
    idleMs: settings.LAB_WORKSTATION_IDLE_MS,
    maxWorkstations: settings.LAB_MAX_WORKSTATIONS,
  });
  // The learner's terminal sandbox ends with the workstation: their containers and images go too.
  workstations.onStopped((owner) => {
    void terminalWatches.end(owner);
    removeTerminalResources(owner).catch((error: unknown) =>
      log.error("Failed to remove a learner's terminal containers", { owner, error: String(error) }),
    );
  });
  const cellRegistry =
    cell && cellId
      ? new CellRegistry(
          cellId,
          cell,
          () => {
            const { size, active, waiting } = slots.load;
            return { slots: size, active, waiting, workstations: workstations.count };
          },
          CELL_REGISTRY_DEFAULTS,
          // Displaced by a server started under the same name: stop as on docker stop.
          () => process.kill(process.pid, 'SIGTERM'),
        )
      : undefined;
  return {
    config: settings,
    cellRegistry,
    engine,
    engineWatch,
    slots,
    activity,
    cellBus,
    workshopEvents: new WorkshopEvents(cellBus),
    incidents,
    runHub,
    terminalWatches,
    workstations,
    learnerLimits: new LearnerRateLimits(settings, limiters),
    workshopLimits: {
      createsPerAddress: limiters('workshop-creates-per-address', {
        max: settings.LAB_WORKSHOPS_PER_HOUR,
        windowMs: 60 * 60_000,
      }),
      createsOverall: limiters('workshop-creates', WORKSHOP_POLICY.createOverall),
      messagesPerWorkshop: limiters('workshop-messages', WORKSHOP_POLICY.messagesPerWorkshop),
      joinsPerLearner: limiters('workshop-joins-per-learner', WORKSHOP_POLICY.joinPerLearner),
      joinsPerAddress: limiters('workshop-joins-per-address', WORKSHOP_POLICY.joinPerAddress),
      joinQueue: cellLimits?.joinQueue ?? new MemoryJoinQueue(),
    },
    cellLimits,
  };
}

const holder = globalThis as unknown as { __labServices?: LabServices };

/** The services of this process, created on first use. */
export function services(): LabServices {
  holder.__labServices ??= createServices();
  return holder.__labServices;
}
