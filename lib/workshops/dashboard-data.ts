// The instructor's dashboard of one workshop, read from the records and kept live: it is computed
// again shortly after any member does something (a run starts or ends, a draft is saved, someone
// joins), and every half minute for the idle flags.
import { config } from '../config';
import { roomRows } from '../db/room-store';
import { findExercise } from '../lessons/curriculum';
import { buildDashboard, KEEPS_UP_MS, type Dashboard } from './dashboard';
import { predictionQuestionsOf } from './prediction-questions';
import { services } from '../services';

/** Failed attempts in a row on the same check that flag a learner. */
const REPEATED_FAILURES = 3;
/** How long after an activity the dashboard is computed (activities close together count once). */
const SETTLE_MS = 150;
const REFRESH_MS = 30_000;

export interface DashboardWorkshop {
  id: string;
  exerciseIds: string[];
}

export async function workshopDashboard(workshop: DashboardWorkshop, now = Date.now()): Promise<Dashboard> {
  const rows = await roomRows(workshop.id, workshop.exerciseIds);
  const hub = services().runHub;
  const running = new Set<string>();
  for (const member of rows.members) {
    const active = hub.activeFor(member.learnerId);
    if (active) running.add(`${member.learnerId} ${active.exerciseId}`);
  }
  const dashboard = buildDashboard({
    exercises: workshop.exerciseIds.map((id) => ({
      id,
      title: findExercise(id)?.spec.title ?? id,
      mistakes: findExercise(id)?.spec.mistakes,
      predictions: predictionQuestionsOf(id),
    })),
    ...rows,
    running,
    now,
    // A learner with nothing done for this long is flagged.
    idleMs: config().LAB_STUCK_IDLE_MIN * 60_000,
    repeatedFailures: REPEATED_FAILURES,
  });
  const load = services().slots.load;
  const waits = services().slots.queueWaits();
  dashboard.machine = {
    slots: load.size,
    active: load.active,
    waiting: load.waiting,
    waitP95Ms: waits.p95Ms,
    runs: waits.runs,
    drainMs: waits.drainMs,
    keepsUp: waits.p95Ms <= KEEPS_UP_MS && waits.drainMs <= KEEPS_UP_MS,
  };
  return dashboard;
}

/**
 * Calls `send` with the dashboard now, then again after each member's activity (settled) and every
 * half minute, until `signal` aborts. `trigger` is the activity's time, so a reader can tell how long
 * the update took to reach the screen.
 */
export function followDashboard(
  workshop: DashboardWorkshop,
  send: (dashboard: Dashboard, trigger?: number) => void,
  signal: AbortSignal,
): void {
  let members = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let computing = false;
  let again: number | undefined;
  let pendingTrigger: number | undefined;
  const compute = async (trigger?: number) => {
    if (signal.aborted) return;
    if (computing) {
      again = trigger ?? again ?? Date.now();
      return;
    }
    computing = true;
    try {
      const dashboard = await workshopDashboard(workshop);
      members = new Set(dashboard.learners.map((row) => row.learnerId));
      if (!signal.aborted) send(dashboard, trigger);
    } catch {
      /* the next activity or refresh tries again */
    } finally {
      computing = false;
      if (again !== undefined) {
        const next = again;
        again = undefined;
        void compute(next);
      }
    }
  };
  const unsubscribe = services().activity.subscribe((event) => {
    if (event.kind !== 'join' && !members.has(event.learnerId)) return;
    pendingTrigger ??= event.at;
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      const trigger = pendingTrigger;
      pendingTrigger = undefined;
      void compute(trigger);
    }, SETTLE_MS);
  });
  const refresh = setInterval(() => void compute(), REFRESH_MS);
  signal.addEventListener('abort', () => {
    unsubscribe();
    clearInterval(refresh);
    if (timer) clearTimeout(timer);
  });
  void compute();
}
