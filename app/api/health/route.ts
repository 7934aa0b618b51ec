// GET /api/health: the server answers, whether the Docker engine does (and how often it went away since
// the server started), how busy the run slots are, and, for one cell of several, the cells alive.
import { NextResponse } from 'next/server';
import { engineStatus } from '@/lib/sandbox/engine-status';
import { services } from '@/lib/services';

export const dynamic = 'force-dynamic';

export async function GET() {
  const lab = services();
  const engine = await engineStatus(lab.engine);
  const { size, active, waiting, maxWaiting } = lab.slots.load;
  const capacity = { slots: size, active, waiting, maxWaiting };
  // The watch's view: since when the engine has been up (or down), and how often it went away.
  const { since, outages } = lab.engineWatch.state();
  const watched = { since: new Date(since).toISOString(), outages };
  // One cell of several: the cells alive, each with its load as its last heartbeat said.
  const registry = lab.cellRegistry;
  const cells = registry
    ? (await registry.cells().catch(() => [])).map((cell) => ({
        name: cell.name,
        me: cell.id === registry.id,
        heartbeatAgeMs: Date.now() - cell.heartbeatAt.getTime(),
        slots: cell.slots,
        active: cell.active,
        waiting: cell.waiting,
        workstations: cell.workstations,
      }))
    : undefined;
  return NextResponse.json(
    { ok: engine.ok, engine: { ...engine, ...watched }, capacity, ...(cells ? { cells } : {}) },
    { status: engine.ok ? 200 : 503 },
  );
}
