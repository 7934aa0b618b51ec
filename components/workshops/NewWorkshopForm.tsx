'use client';
// The form of a new workshop: the exercises are picked from the curriculum and put in the order they
// will be taught; on success the join code and the instructor link are shown, once.
import { useState, type FormEvent } from 'react';
import { SubmitRow } from './SubmitRow';
import type { CreatedWorkshop } from '@/lib/workshops/create-workshop';

interface LessonChoice {
  title: string;
  exercises: { id: string; title: string }[];
}

/** A datetime-local value (the browser's time zone) as an ISO instant, or null when empty. */
function instant(local: string): string | null {
  return local ? new Date(local).toISOString() : null;
}

export function NewWorkshopForm({
  lessons,
  capacity,
  titleMaxLength,
}: {
  lessons: LessonChoice[];
  capacity: { min: number; max: number };
  titleMaxLength: number;
}) {
  const titles = new Map(
    lessons.flatMap((lesson) => lesson.exercises.map((exercise) => [exercise.id, exercise.title] as const)),
  );
  const [title, setTitle] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [startsAt, setStartsAt] = useState('');
  const [endsAt, setEndsAt] = useState('');
  const [size, setSize] = useState('40');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<CreatedWorkshop | null>(null);

  const toggle = (id: string) =>
    setChosen((current) => (current.includes(id) ? current.filter((other) => other !== id) : [...current, id]));
  const move = (index: number, by: number) =>
    setChosen((current) => {
      const next = [...current];
      const [item] = next.splice(index, 1);
      next.splice(index + by, 0, item);
      return next;
    });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError('');
    if (chosen.length === 0) return setError('Choose at least one exercise.');
    setBusy(true);
    try {
      const response = await fetch('/api/workshops', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          title,
          exerciseIds: chosen,
          startsAt: instant(startsAt),
          endsAt: instant(endsAt),
          capacity: Number(size),
        }),
      });
      const body = (await response.json().catch(() => ({}))) as CreatedWorkshop & { error?: string };
      if (!response.ok) return setError(body.error ?? `the lab answered ${response.status}`);
      setCreated(body);
    } catch {
      setError('The lab could not be reached.');
    } finally {
      setBusy(false);
    }
  };

  if (created) {
    const origin = window.location.origin;
    return (
      <section className="ws-created" aria-labelledby="ws-created-title">
        <h2 id="ws-created-title">Your workshop is ready</h2>
        <p>
          Learners open <a href={`/join?code=${created.joinCode}`}>{`${origin}/join`}</a> and type the code:
        </p>
        <p className="ws-code" aria-label={`Join code ${created.joinCode.split('').join(' ')}`}>
          {created.joinCode}
        </p>
        <h3>Your instructor link</h3>
        <p className="ws-warning" role="alert">
          Keep this link secret and keep it safe: whoever has it can run this workshop, and it is shown only this once.
        </p>
        <p>
          <a className="ws-secret-link" href={created.instructorUrl}>{`${origin}${created.instructorUrl}`}</a>
        </p>
      </section>
    );
  }

  return (
    <form className="ws-form" onSubmit={(event) => void submit(event)} noValidate>
      <label htmlFor="ws-title-input">Title</label>
      <input
        id="ws-title-input"
        required
        maxLength={titleMaxLength}
        value={title}
        onChange={(event) => setTitle(event.target.value)}
        placeholder="Containers and their main process"
      />

      <fieldset>
        <legend>Exercises, in the order you will teach them</legend>
        {lessons.map((lesson) => (
          <div key={lesson.title} className="ws-lesson">
            <p className="ws-lesson-title">{lesson.title}</p>
            {lesson.exercises.map((exercise) => (
              <label key={exercise.id} className="ws-check">
                <input type="checkbox" checked={chosen.includes(exercise.id)} onChange={() => toggle(exercise.id)} />{' '}
                {exercise.title} <code className="muted">{exercise.id}</code>
              </label>
            ))}
          </div>
        ))}
        <p id="ws-order-label">Order:</p>
        {chosen.length === 0 ? (
          <p className="muted">No exercise chosen yet.</p>
        ) : (
          <ol className="ws-order" aria-labelledby="ws-order-label">
            {chosen.map((id, index) => (
              <li key={id}>
                <span>{titles.get(id) ?? id}</span>
                <button
                  type="button"
                  onClick={() => move(index, -1)}
                  disabled={index === 0}
                  aria-label={`Move ${titles.get(id)} up`}
                >
                  ↑
                </button>
                <button
                  type="button"
                  onClick={() => move(index, 1)}
                  disabled={index === chosen.length - 1}
                  aria-label={`Move ${titles.get(id)} down`}
                >
                  ↓
                </button>
              </li>
            ))}
          </ol>
        )}
      </fieldset>

      <div className="ws-times">
        <div>
          <label htmlFor="ws-starts">Starts (optional)</label>
          <input
            id="ws-starts"
            type="datetime-local"
            value={startsAt}
            onChange={(event) => setStartsAt(event.target.value)}
          />
        </div>
        <div>
          <label htmlFor="ws-ends">Ends (optional)</label>
          <input
            id="ws-ends"
            type="datetime-local"
            value={endsAt}
            onChange={(event) => setEndsAt(event.target.value)}
          />
        </div>
        <div>
          <label htmlFor="ws-capacity">Learners at most</label>
          <input
            id="ws-capacity"
            type="number"
            min={capacity.min}
            max={capacity.max}
            required
            value={size}
            onChange={(event) => setSize(event.target.value)}
          />
        </div>
      </div>

      <SubmitRow label="Create workshop" busyLabel="Creating…" busy={busy} error={error} />
    </form>
  );
}
