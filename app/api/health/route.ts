// GET /api/health: the server answers, whether the Docker engine does, and how busy the run slots are.
import { NextResponse } from 'next/server';
import { engineStatus } from '@/lib/sandbox/engine-status';
import { services } from '@/lib/services';

export const dynamic = 'force-dynamic';

export async function GET() {
  const lab = services();
  const engine = await engineStatus(lab.engine);
  const { size, active, waiting, maxWaiting } = lab.slots.load;
  const capacity = { slots: size, active, waiting, maxWaiting };
  return NextResponse.json({ ok: engine.ok, engine, capacity }, { status: engine.ok ? 200 : 503 });
}
