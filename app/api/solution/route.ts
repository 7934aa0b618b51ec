// GET /api/solution?exerciseId=<id>: the solution files, once the learner asks; recorded in their progress.
// For a diagnosis exercise: the right answer to the learner's current incident. It comes after the graded
// hints (403 before), and never while the learner's workshop holds the solutions back (403).
import { NextResponse, type NextRequest } from 'next/server';
import { recordSolutionShown } from '@/lib/db/learner-store';
import { errorResponse, HttpError } from '@/lib/http/errors';
import { hintsOf } from '@/lib/hints/learner-hints';
import { learnerOrNew, rememberLearner } from '@/lib/learners/learner-request';
import { caseFiles } from '@/lib/lessons/curriculum';
import { exerciseOfRequest } from '@/lib/lessons/exercise-request';
import { services } from '@/lib/services';

export const dynamic = 'force-dynamic';

export async function GET(request: NextRequest) {
  const { learnerId } = learnerOrNew(request);
  try {
    // Each look is recorded: a write like any other.
    await services().learnerLimits.take('write', learnerId);
    const exercise = exerciseOfRequest(request);
    const access = (await hintsOf(learnerId, exercise)).solution;
    if (access === 'held') throw new HttpError(403, 'your instructor is holding the solutions back for now');
    if (access === 'after-hints')
      throw new HttpError(403, 'the solution comes after the hints: open a fix of a failed check first');
    // A diagnosis has no one solution: the answer is that of the learner's own incident.
    const files =
      exercise.kind === 'diagnosis'
        ? await services().incidents.solution(learnerId, exercise)
        : caseFiles(exercise, 'solution').filter((file) => exercise.spec.files.includes(file.name));
    await recordSolutionShown(learnerId, exercise.id);
    services().activity.emit({ learnerId, kind: 'help', exerciseId: exercise.id });
    return rememberLearner(NextResponse.json({ files }), learnerId);
  } catch (error) {
    return errorResponse(error, { learner: learnerId });
  }
}
