// GET /api/workshops/<id>/export.csv (instructor's key): the results, one row per learner and exercise.
import type { NextRequest } from 'next/server';
import { errorResponse } from '@/lib/http/errors';
import { instructorWorkshop, type WorkshopParams } from '@/lib/workshops/instructor-request';
import { workshopResultsCsv } from '@/lib/workshops/workshop-results';

export const dynamic = 'force-dynamic';

export async function GET(request: NextRequest, context: WorkshopParams) {
  try {
    const workshop = await instructorWorkshop(request, context);
    const name = `workshop-${workshop.joinCode}-results.csv`;
    return new Response(await workshopResultsCsv(workshop), {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${name}"`,
        'cache-control': 'no-store',
      },
    });
  } catch (error) {
    return errorResponse(error, { workshop: (await context.params).id });
  }
}
