// The exercise a request names in `?exerciseId=`: 404 when the curriculum has none by that id.
import type { NextRequest } from 'next/server';
import { HttpError } from '../http/http-error';
import { findExercise, type Exercise } from './curriculum';

/** The exercise of `?exerciseId=`, or a 404. */
export function exerciseOfRequest(request: NextRequest): Exercise {
  const id = request.nextUrl.searchParams.get('exerciseId') ?? '';
  const exercise = findExercise(id);
  if (!exercise) throw new HttpError(404, `no exercise ${id}`);
  return exercise;
}
