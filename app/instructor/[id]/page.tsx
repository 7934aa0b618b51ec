// The instructor's page of a workshop (the secret link): the join code, the workshop's controls and
// the live class dashboard. Without the right key it shows nothing of the workshop.
import type { Metadata } from 'next';
import Link from 'next/link';
import { cache } from 'react';
import { ClassDashboard } from '@/components/workshops/ClassDashboard';
import { InstructorControls } from '@/components/workshops/InstructorControls';
import { authenticateInstructor } from '@/lib/workshops/instructor-auth';

export const dynamic = 'force-dynamic';

interface Props {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ key?: string }>;
}

/** The workshop if the key is its instructor's, else null; once per request for the title and the page. */
const instructorWorkshop = cache(async (id: string, key: string | undefined) =>
  authenticateInstructor(id, key).catch(() => null),
);

export async function generateMetadata({ params, searchParams }: Props): Promise<Metadata> {
  const workshop = await instructorWorkshop((await params).id, (await searchParams).key);
  return { title: workshop ? `Instructor dashboard: ${workshop.title}` : 'Instructor link not valid' };
}

export default async function InstructorPage({ params, searchParams }: Props) {
  const { id } = await params;
  const { key } = await searchParams;
  const workshop = await instructorWorkshop(id, key);
  if (!workshop || !key) {
    return (
      <main>
        <h1>Instructor link not valid</h1>
        <p>
          This link does not open a workshop: check that it is the whole link you were given when the workshop was
          created (it ends with ?key=…).
        </p>
        <p>
          <Link href="/">Back to the lessons</Link>
        </p>
      </main>
    );
  }
  return (
    <main className="instructor-page">
      <h1>{workshop.title}</h1>
      <p>
        Join code: <strong className="join-code">{workshop.joinCode}</strong>{' '}
        <span className="muted">(learners open /join and type it)</span>
      </p>
      <InstructorControls
        workshopId={workshop.id}
        instructorKey={key}
        locked={workshop.locked}
        ended={Boolean(workshop.endedAt)}
        solutionsHeld={workshop.solutionsHeld}
      />
      <ClassDashboard apiBase={`/api/workshops/${workshop.id}`} instructorKey={key} />
    </main>
  );
}
