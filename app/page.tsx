// Home: the lessons and their exercises.
import Link from 'next/link';
import { ExerciseList } from '@/components/lessons/ExerciseList';
import { CurrentWorkshop } from '@/components/workshops/CurrentWorkshop';
import { pageProgress } from '@/lib/learners/page-learner';
import { loadCurriculum } from '@/lib/lessons/curriculum';

export const dynamic = 'force-dynamic';

export default async function HomePage() {
  const lessons = loadCurriculum();
  const progress = await pageProgress();
  return (
    <main>
      <h1>Docker lifecycle lab</h1>
      <p className="muted">
        A container lives exactly as long as its main process. Edit a Dockerfile, run it on a real Docker engine, and
        watch what PID 1 does.
      </p>
      <CurrentWorkshop />
      <p className="ws-links">
        In a workshop? <Link href="/join">Join it with its code</Link> and the name your instructor will see; on your
        own, no name or account is needed. Teaching one? <Link href="/workshops/new">Set up a workshop</Link>.
      </p>
      {lessons.map((lesson) => (
        <section className="lesson" key={lesson.slug} aria-labelledby={`lesson-${lesson.slug}`}>
          <h2 id={`lesson-${lesson.slug}`}>
            {lesson.order}. <Link href={`/lessons/${lesson.slug}`}>{lesson.title}</Link>
          </h2>
          <p className="muted">{lesson.summary}</p>
          <ExerciseList exercises={lesson.exercises} progress={progress} />
        </section>
      ))}
    </main>
  );
}
