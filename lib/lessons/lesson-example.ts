// One runnable example of a lesson, as read from lesson.md.
import type { LearnerFile } from '../sandbox/learner-files';
import type { ExampleSpec } from './example-spec-schema';

/** One runnable example of a lesson. */
export interface LessonExample {
  /** `<lesson-slug>/lesson.md:<line>`: where the comment stands. */
  id: string;
  lessonSlug: string;
  /** Line of the comment in lesson.md. */
  line: number;
  spec: ExampleSpec;
  /** Everything the image is built from, the Dockerfile first. */
  files: LearnerFile[];
}
