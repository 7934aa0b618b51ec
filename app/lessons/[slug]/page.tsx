// A lesson: its text and its exercises.
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ExerciseList } from '@/components/lessons/ExerciseList';
import { CurrentWorkshop } from '@/components/workshops/CurrentWorkshop';
import { pageProgress } from '@/lib/learners/page-learner';
import { loadCurriculum } from '@/lib/lessons/curriculum';
import { renderMarkdown } from '@/lib/markdown';

export const dynamic = 'force-dynamic';

export default async function LessonPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const lesson = loadCurriculum().find((candidate) => candidate.slug === slug);
  if (!lesson) notFound();
  const progress = await pageProgress();
  return (
    <main className="reading">
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link href="/">Lessons</Link> / <span>{lesson.title}</span>
      </nav>
      <CurrentWorkshop />
      <h1>{lesson.title}</h1>
      <article className="prose" dangerouslySetInnerHTML={{ __html: renderMarkdown(lesson.body) }} />
      <section className="lesson" aria-labelledby="exercises">
        <h2 id="exercises">Exercises</h2>
        <ExerciseList exercises={lesson.exercises} progress={progress} />
      </section>
    </main>
  );
}
