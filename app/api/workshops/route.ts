// POST /api/workshops {title, exerciseIds, startsAt?, endsAt?, capacity}: creates a workshop. Anyone
// may (the lab is self-hosted), at a bounded rate. Answers 201 with the join code and, once only, the
// instructor's key and link.
import { NextResponse, type NextRequest } from 'next/server';
import { loadConfig } from '@/lib/config';
import { clientAddress } from '@/lib/http/client-address';
import { errorResponse, HttpError } from '@/lib/http/errors';
import { RateLimiter, takeOrRefuse } from '@/lib/http/rate-limiter';
import { createWorkshop } from '@/lib/workshops/create-workshop';
import { CreateWorkshopSchema } from '@/lib/workshops/workshop-request';
import { WORKSHOP_POLICY } from '@/lib/workshops/workshop-policy';

export const dynamic = 'force-dynamic';

const holder = globalThis as unknown as { __labWorkshopCreates?: { perAddress: RateLimiter; overall: RateLimiter } };

export async function POST(request: NextRequest) {
  try {
    holder.__labWorkshopCreates ??= {
      perAddress: new RateLimiter({ max: loadConfig().LAB_WORKSHOPS_PER_HOUR, windowMs: 60 * 60_000 }),
      overall: new RateLimiter(WORKSHOP_POLICY.createOverall),
    };
    const body = CreateWorkshopSchema.parse(await request.json().catch(() => {
      throw new HttpError(400, 'the body must be JSON: {"title", "exerciseIds": [...], "startsAt"?, "endsAt"?, "capacity"}');
    }));
    takeOrRefuse(holder.__labWorkshopCreates.perAddress, clientAddress(request), 'too many workshops created from this address');
    takeOrRefuse(holder.__labWorkshopCreates.overall, 'all', 'too many workshops created on this lab in the last hour');
    return NextResponse.json(await createWorkshop(body), { status: 201, headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}
