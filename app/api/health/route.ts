// GET /api/health: the server answers, and whether the Docker engine does.
import { NextResponse } from 'next/server';
import { engineStatus } from '@/lib/sandbox/engine-status';

export const dynamic = 'force-dynamic';

export async function GET() {
  const engine = await engineStatus();
  return NextResponse.json({ ok: engine.ok, engine }, { status: engine.ok ? 200 : 503 });
}
