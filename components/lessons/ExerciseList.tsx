// The exercises of a lesson, as links to their workbenches, with the learner's progress on each and,
// on the lesson's page, what each one asks.
import Link from 'next/link';
import type { ExerciseProgress } from '@/lib/db/learner-store';
import type { Exercise } from '@/lib/lessons/curriculum';

function Badge({ progress }: { progress?: ExerciseProgress }) {
  if (!progress) return null;
  const tries = `${progress.attempts} attempt${progress.attempts === 1 ? '' : 's'}`;
  const text =
    progress.status === 'passing'
      ? `passed · ${tries}`
      : progress.status === 'failing'
        ? `not yet · ${tries}`
        : 'started';
  return (
    <span className={`progress-badge ${progress.status}`}>
      {text}
      {progress.solutionShownAt ? ' · solution seen' : ''}
    </span>
  );
}

export function ExerciseList({
  exercises,
  progress = [],
  notesHtml = {},
}: {
  exercises: Exercise[];
  progress?: ExerciseProgress[];
  /** What each exercise asks, as HTML of the curriculum's own Markdown, by exercise id. */
  notesHtml?: Record<string, string>;
}) {
  return (
    <ol className="exercise-list">
      {exercises.map((exercise) => (
        <li key={exercise.id}>
          <Link href={`/exercises/${exercise.id}`}>{exercise.spec.title}</Link>
          <Badge progress={progress.find((entry) => entry.exerciseId === exercise.id)} />
          {notesHtml[exercise.id] && (
            <div className="exercise-note" dangerouslySetInnerHTML={{ __html: notesHtml[exercise.id] }} />
          )}
        </li>
      ))}
    </ol>
  );
}
