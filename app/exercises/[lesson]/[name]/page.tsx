// An exercise: the workbench with instructions, editor and the live panels.
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Workbench } from '@/components/workbench/Workbench';
import { CurrentWorkshop } from '@/components/workshops/CurrentWorkshop';
import { loadDraft } from '@/lib/db/learner-store';
import { readForPage } from '@/lib/learners/page-learner';
import { loadCurriculum } from '@/lib/lessons/curriculum';
import { nextStepAfter } from '@/lib/lessons/next-exercise';
import { renderMarkdown } from '@/lib/markdown';

export const dynamic = 'force-dynamic';

type Params = Promise<{ lesson: string; name: string }>;

async function findExercise(params: Params) {
  const { lesson: slug, name } = await params;
  const lessons = loadCurriculum();
  const lesson = lessons.find((candidate) => candidate.slug === slug);
  return { lessons, lesson, exercise: lesson?.exercises.find((candidate) => candidate.name === name) };
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { lesson, exercise } = await findExercise(params);
  return { title: lesson && exercise ? `${exercise.spec.title} (${lesson.title})` : 'Exercise not found' };
}

export default async function ExercisePage({ params }: { params: Params }) {
  const { lessons, lesson, exercise } = await findExercise(params);
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
        next={nextStepAfter(lessons, exercise.id)}
        predictions={exercise.spec.predictions.map(({ id, question, choices }) => ({
          id,
          question,
          choices: choices.map((choice) => ({ id: choice.id, text: choice.text })),
        }))}
      />
    </main>
  );
}
