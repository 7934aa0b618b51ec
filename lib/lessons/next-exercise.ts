// Where a learner who passed an exercise goes next: the next exercise of its lesson, the first exercise
// of the next lesson after the last one, and the course overview after the very last exercise.
import type { Lesson } from './curriculum';

/** A place to go next, as a link: the address and the words on it. */
export interface NextStep {
  href: string;
  title: string;
}

/** The address of an exercise's page. */
export const exerciseHref = (lessonSlug: string, name: string) => `/exercises/${lessonSlug}/${name}`;

/** What follows the exercise `exerciseId` in the course; undefined for an exercise it does not hold. */
export function nextStepAfter(lessons: Lesson[], exerciseId: string): NextStep | undefined {
  const exercises = lessons.flatMap((lesson) => lesson.exercises);
  const index = exercises.findIndex((exercise) => exercise.id === exerciseId);
  if (index < 0) return undefined;
  const next = exercises[index + 1];
  if (!next) return { href: '/', title: 'back to the course overview' };
  return { href: exerciseHref(next.lessonSlug, next.name), title: next.spec.title };
}
