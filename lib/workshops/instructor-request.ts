// Instructor routes: the key comes in the x-instructor-key header or as ?key= (the instructor's link),
// the workshop from the route's [id]; an action runs only on the workshop that key belongs to.
import { NextResponse, type NextRequest } from 'next/server';
import type { WorkshopRecord } from '../db/workshop-store';
import { errorResponse } from '../http/errors';
import { authenticateInstructor, INSTRUCTOR_KEY_HEADER } from './instructor-auth';

/** The route parameters of /api/workshops/<id>/... */
export type WorkshopParams = { params: Promise<{ id: string }> };

/** The workshop of the route, if the request carries its instructor's key; throws 401/403 otherwise. */
export async function instructorWorkshop(request: NextRequest, { params }: WorkshopParams): Promise<WorkshopRecord> {
  const { id } = await params;
  return authenticateInstructor(
    id,
    request.headers.get(INSTRUCTOR_KEY_HEADER) ?? request.nextUrl.searchParams.get('key'),
  );
}

/** Runs an instructor action on the route's workshop and answers its result as JSON (errors mapped in one place). */
export async function instructorAction(
  request: NextRequest,
  context: WorkshopParams,
  action: (workshop: WorkshopRecord) => Promise<unknown>,
  status = 200,
): Promise<NextResponse> {
  try {
    const workshop = await instructorWorkshop(request, context);
    return NextResponse.json(await action(workshop), { status });
  } catch (error) {
    return errorResponse(error, { workshop: (await context.params).id });
  }
}
