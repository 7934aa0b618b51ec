// GET /api/health: the server answers, whether the Docker engine does, and how busy the run slots are.
import { NextResponse } from 'next/server';
import { defaultRunSlots } from '@/lib/runner/run-capacity';
import { engineStatus } from '@/lib/sandbox/engine-status';

export const dynamic = 'force-dynamic';

export async function GET() {
  const engine = await engineStatus();
  const { size, active, waiting, maxWaiting } = defaultRunSlots().load;
  const capacity = { slots: size, active, waiting, maxWaiting };
  return NextResponse.json({ ok: engine.ok, engine, capacity }, { status: engine.ok ? 200 : 503 });
}
