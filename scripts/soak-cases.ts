// What the soak's learners run: real exercises of lessons/ with files whose verdict is known in advance
// (the curriculum's own solution/, alternatives/, starter and wrong/ cases, which check-lessons proves),
// so that any other verdict without a fault to explain it is a finding.
import { caseFiles, caseNames, findBuildExercise, type BuildExercise } from '../lib/lessons/curriculum';
import type { LearnerFile } from '../lib/sandbox/learner-files';
import type { Random } from './soak-options';

/**
 * Exercises of every lesson whose runs differ in length and in what they do to their containers (a
 * stop, a crash, restarts, a 5 s wait, zombies), all built FROM lab/node, the image the second engine holds.
 */
export const SOAK_EXERCISES = [
  'main-process-exit/pid1',
  'main-process-exit/foreground',
  'main-process-exit/restart-policy',
  'never-daemonize/python-foreground',
  'never-daemonize/stale-pid-file',
  'pid1-signals/graceful-stop',
  'pid1-signals/reap-zombies',
];

/** One set of files of an exercise and the verdict the lab must give it when nothing goes wrong. */
export interface SoakCase {
  exerciseId: string;
  /** `solution`, `alternatives/<name>`, `starter` or `wrong/<name>`. */
  name: string;
  expected: 'pass' | 'fail';
  files: LearnerFile[];
}

/** How often each kind of case is picked: mostly solutions and wrong answers, as a room produces them. */
const KIND_WEIGHTS = { solution: 4, alternatives: 2, starter: 1, wrong: 3 };

/** The files a learner sends: the exercise's own files only, as the editor holds them. */
function learnerFiles(exercise: BuildExercise, dir: string): LearnerFile[] {
  return caseFiles(exercise, dir).filter((file) => exercise.spec.files.includes(file.name));
}

/** Every exercise of the soak, loaded once; throws when one is missing (the curriculum changed). */
export function soakExercises(): BuildExercise[] {
  return SOAK_EXERCISES.map((id) => {
    const exercise = findBuildExercise(id);
    if (!exercise) throw new Error(`the soak's exercise ${id} is not in lessons/ (or not a build exercise)`);
    return exercise;
  });
}

/** A random case of a random exercise. */
export function pickCase(exercises: BuildExercise[], random: Random): SoakCase {
  const exercise = random.pick(exercises);
  const kind = random.weighted(KIND_WEIGHTS);
  if (kind === 'solution' || kind === 'starter') {
    const dir = kind === 'solution' ? 'solution' : '.';
    return {
      exerciseId: exercise.id,
      name: kind,
      expected: kind === 'solution' ? 'pass' : 'fail',
      files: learnerFiles(exercise, dir),
    };
  }
  const names = caseNames(exercise, kind);
  if (names.length === 0) return pickCase(exercises, random);
  const name = `${kind}/${random.pick(names)}`;
  return {
    exerciseId: exercise.id,
    name,
    expected: kind === 'wrong' ? 'fail' : 'pass',
    files: learnerFiles(exercise, name),
  };
}

/** A draft as a learner leaves it while typing: the starter with a random line added to the Dockerfile. */
export function randomDraft(exercise: BuildExercise, random: Random, label: string): LearnerFile[] {
  // Sometimes with characters outside ASCII: the draft must come back byte for byte.
  const note = `# ${label}: ${random.hex(random.int(4, 40))}${random.chance(0.3) ? ' ✓ é 日本 🐳' : ''}`;
  return learnerFiles(exercise, '.').map((file) =>
    file.name === 'Dockerfile' ? { ...file, content: `${file.content.trimEnd()}\n${note}\n` } : file,
  );
}

/**
 * What the fault injector's probe runs after an outage: a solution of two short scenarios (a stop, a
 * crash), judged in about two seconds, so the time until it passes is the lab's recovery.
 */
export function probeCase(exercises: BuildExercise[]): SoakCase {
  const exercise = exercises.find((candidate) => candidate.id === 'main-process-exit/pid1') ?? exercises[0];
  return { exerciseId: exercise.id, name: 'solution', expected: 'pass', files: learnerFiles(exercise, 'solution') };
}
