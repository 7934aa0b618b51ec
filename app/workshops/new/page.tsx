// /workshops/new: an instructor sets up a workshop (title, exercises in order, times, capacity) and
// gets the join code for the room and, once, the secret instructor link.
import type { Metadata } from 'next';
import Link from 'next/link';
import { NewWorkshopForm } from '@/components/workshops/NewWorkshopForm';
import { loadCurriculum } from '@/lib/lessons/curriculum';
import { WORKSHOP_POLICY } from '@/lib/workshops/workshop-policy';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'New workshop' };

export default function NewWorkshopPage() {
  const lessons = loadCurriculum().map((lesson) => ({
    title: `${lesson.order}. ${lesson.title}`,
    exercises: lesson.exercises.map((exercise) => ({ id: exercise.id, title: exercise.spec.title })),
  }));
  return (
    <main className="reading">
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link href="/">Lessons</Link> / <span>New workshop</span>
      </nav>
      <h1>New workshop</h1>
      <p className="muted">
        Learners join with a short code and a name, no account. You get a secret link to lock joining, post messages,
        reset a learner&apos;s sandbox, export the results and end the workshop.
      </p>
      <NewWorkshopForm
        lessons={lessons}
        capacity={WORKSHOP_POLICY.capacity}
        titleMaxLength={WORKSHOP_POLICY.titleMaxLength}
      />
    </main>
  );
}
