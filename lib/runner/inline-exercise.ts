// An exercise defined in code rather than in lessons/: for tests and the benchmark.
import type { BuildExercise } from '../lessons/curriculum';
import { BuildExerciseFileSchema } from '../lessons/exercise-schema';
import type { LearnerFile } from '../sandbox/learner-files';

/** A validated exercise from a spec object (defaults filled in) and its starter files. */
export function inlineExercise(
  spec: Record<string, unknown>,
  starter: LearnerFile[],
  id = 'inline/exercise',
): BuildExercise {
  const full = BuildExerciseFileSchema.parse({
    format_version: 1,
    order: 1,
    title: id,
    instructions: id,
    files: starter.map((file) => file.name),
    mistakes: {},
    ...spec,
  });
  const [lessonSlug, name] = id.split('/');
  return { kind: 'build', id, lessonSlug, name, dir: '', spec: full, starter };
}

/** A Dockerfile FROM lab/node that runs `cmd` (exec form). */
export function dockerfileRunning(cmd: string[], extra = ''): LearnerFile {
  return { name: 'Dockerfile', content: `FROM lab/node\n${extra}CMD ${JSON.stringify(cmd)}\n` };
}
