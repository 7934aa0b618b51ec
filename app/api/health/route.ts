// GET /api/health: the server answers, whether the Docker engine does (and how often it went away since
// the server started), and how busy the run slots are.
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
  return NextResponse.json(
    { ok: engine.ok, engine: { ...engine, ...watched }, capacity },
    { status: engine.ok ? 200 : 503 },
  );
}
