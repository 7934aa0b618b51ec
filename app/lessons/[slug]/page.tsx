// A lesson: its text and its exercises.
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ExerciseList } from '@/components/lessons/ExerciseList';
import { splitExerciseNotes } from '@/components/lessons/lesson-exercise-notes';
import { CurrentWorkshop } from '@/components/workshops/CurrentWorkshop';
import { pageProgress } from '@/lib/learners/page-learner';
import { loadCurriculum } from '@/lib/lessons/curriculum';
import { renderMarkdown } from '@/lib/markdown';

export const dynamic = 'force-dynamic';

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> {
  const { slug } = await params;
  const lesson = loadCurriculum().find((candidate) => candidate.slug === slug);
  return { title: lesson ? `Lesson ${lesson.order}: ${lesson.title}` : 'Lesson not found' };
}

export default async function LessonPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const lesson = loadCurriculum().find((candidate) => candidate.slug === slug);
  if (!lesson) notFound();
  const progress = await pageProgress();
  const { body, notes } = splitExerciseNotes(lesson.body);
  const notesHtml = Object.fromEntries(Object.entries(notes).map(([id, note]) => [id, renderMarkdown(note)]));
  return (
    <main className="reading">
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link href="/">Lessons</Link> / <span>{lesson.title}</span>
      </nav>
      <CurrentWorkshop />
      <h1>{lesson.title}</h1>
      <article className="prose" dangerouslySetInnerHTML={{ __html: renderMarkdown(body) }} />
      <section className="lesson" aria-labelledby="exercises">
        <h2 id="exercises">Exercises</h2>
        <ExerciseList exercises={lesson.exercises} progress={progress} notesHtml={notesHtml} />
      </section>
    </main>
  );
}
