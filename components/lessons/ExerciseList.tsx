// The exercises of a lesson, as links to their workbenches.
import Link from 'next/link';
import type { Exercise } from '@/lib/lessons/curriculum';

export function ExerciseList({ exercises }: { exercises: Exercise[] }) {
  return (
    <ol>
      {exercises.map((exercise) => (
        <li key={exercise.id}>
          <Link href={`/exercises/${exercise.id}`}>{exercise.spec.title}</Link> <code className="muted">{exercise.id}</code>
        </li>
      ))}
    </ol>
  );
}
