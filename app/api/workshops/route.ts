// POST /api/workshops {title, exerciseIds, startsAt?, endsAt?, capacity}: creates a workshop. Anyone
// may (the lab is self-hosted), at a bounded rate. Answers 201 with the join code and, once only, the
// instructor's key and link.
import { NextResponse, type NextRequest } from 'next/server';
import { clientAddress } from '@/lib/http/client-address';
import { errorResponse, HttpError } from '@/lib/http/errors';
import { takeOrRefuse } from '@/lib/http/rate-limiter';
import { services } from '@/lib/services';
import { createWorkshop } from '@/lib/workshops/create-workshop';
import { CreateWorkshopSchema } from '@/lib/workshops/workshop-request';

export const dynamic = 'force-dynamic';

export async function POST(request: NextRequest) {
  try {
    const limits = services().workshopLimits;
    const body = CreateWorkshopSchema.parse(
      await request.json().catch(() => {
        throw new HttpError(
          400,
          'the body must be JSON: {"title", "exerciseIds": [...], "startsAt"?, "endsAt"?, "capacity"}',
        );
      }),
    );
    await takeOrRefuse(
      limits.createsPerAddress,
      clientAddress(request),
      'too many workshops created from this address',
    );
    await takeOrRefuse(limits.createsOverall, 'all', 'too many workshops created on this lab in the last hour');
    return NextResponse.json(await createWorkshop(body), { status: 201, headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}
