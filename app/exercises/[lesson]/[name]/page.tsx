// An exercise: the workbench with instructions, editor and the live panels.
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Workbench } from '@/components/workbench/Workbench';
import { CurrentWorkshop } from '@/components/workshops/CurrentWorkshop';
import { loadDraft } from '@/lib/db/learner-store';
import { readForPage } from '@/lib/learners/page-learner';
import { loadCurriculum } from '@/lib/lessons/curriculum';
import { renderMarkdown } from '@/lib/markdown';

export const dynamic = 'force-dynamic';

export default async function ExercisePage({ params }: { params: Promise<{ lesson: string; name: string }> }) {
  const { lesson: slug, name } = await params;
  const lesson = loadCurriculum().find((candidate) => candidate.slug === slug);
  const exercise = lesson?.exercises.find((candidate) => candidate.name === name);
  if (!lesson || !exercise) notFound();
  // The saved draft goes into the page itself: the editor shows it at once, with no request to wait for.
  const savedDraft = await readForPage('draft', (learnerId) => loadDraft(learnerId, exercise.id), null);
  return (
    <main className="bench-page">
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link href="/">Lessons</Link> / <Link href={`/lessons/${lesson.slug}`}>{lesson.title}</Link> /{' '}
        <span>{exercise.spec.title}</span>
      </nav>
      <CurrentWorkshop currentExerciseId={exercise.id} />
      <Workbench
        exerciseId={exercise.id}
        title={exercise.spec.title}
        instructionsHtml={renderMarkdown(exercise.spec.instructions)}
        starter={exercise.starter}
        savedDraft={savedDraft}
        scenarios={
          exercise.kind === 'build'
            ? exercise.spec.scenarios.map((scenario) => ({ id: scenario.id, description: scenario.description }))
            : []
        }
        kind={exercise.kind}
      />
    </main>
  );
}
