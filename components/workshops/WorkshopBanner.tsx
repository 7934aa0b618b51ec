'use client';
// The learner's workshop on their pages: its title and state, its exercises in order with where they
// stand on each, and the instructor's latest message, kept live through /api/workshop/events.
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { SOLUTIONS_EVENT } from '@/components/checks/use-hints';
import type { CellState } from '@/lib/workshops/dashboard';
import type { LearnerWorkshopView } from '@/lib/workshops/learner-workshop';
import type { MessageView } from '@/lib/workshops/workshop-events';
import type { WorkshopState } from '@/lib/workshops/workshop-state';

const CELL_TEXT: Record<CellState, string> = {
  'not-started': 'not started',
  working: 'working',
  passing: 'passed',
  failing: 'not yet',
};

const STATE_TEXT: Record<WorkshopState, string> = {
  scheduled: 'not started yet',
  open: 'open',
  locked: 'in progress',
  closed: 'closed',
  ended: 'ended',
};

function time(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function WorkshopBanner({
  initial,
  currentExerciseId,
}: {
  initial: LearnerWorkshopView;
  currentExerciseId?: string;
}) {
  const [view, setView] = useState(initial);
  const [notice, setNotice] = useState('');

  useEffect(() => {
    const events = new EventSource('/api/workshop/events');
    events.addEventListener('workshop', (event) =>
      setView(JSON.parse((event as MessageEvent<string>).data) as LearnerWorkshopView),
    );
    events.addEventListener('message', (event) => {
      const message = JSON.parse((event as MessageEvent<string>).data) as MessageView;
      setView((current) => ({
        ...current,
        messages: [...current.messages.filter((m) => m.id !== message.id), message],
      }));
    });
    events.addEventListener('state', (event) => {
      const { state } = JSON.parse((event as MessageEvent<string>).data) as { state: WorkshopState };
      setView((current) => ({ ...current, state }));
    });
    // The workbench's hints read whether the solution may be shown again.
    events.addEventListener('solutions', () => window.dispatchEvent(new Event(SOLUTIONS_EVENT)));
    events.addEventListener('reset', () =>
      setNotice(
        'Your instructor reset your sandbox: your runs, terminal and containers were stopped. Your files are kept.',
      ),
    );
    return () => events.close();
  }, []);

  const latest = view.messages.at(-1);
  const ended = view.state === 'ended';
  return (
    <aside className={`ws-banner${ended ? ' ws-ended' : ''}`} aria-labelledby="ws-title">
      <div className="ws-head">
        <h2 id="ws-title" className="ws-title">
          {view.title}
        </h2>
        <span className="ws-state">Workshop {STATE_TEXT[view.state]}</span>
        <span className="muted ws-name">as {view.displayName}</span>
      </div>
      {ended ? (
        <p className="ws-ended-note" role="status">
          This workshop has ended. Everything you did is kept; you can go on with the lessons at your own pace.
        </p>
      ) : null}
      <ol className="ws-exercises" aria-label="Workshop exercises, in order">
        {view.exercises.map((exercise) => (
          <li key={exercise.id} className={`ws-exercise ws-${exercise.state}`}>
            <Link href={exercise.href} aria-current={exercise.id === currentExerciseId ? 'page' : undefined}>
              {exercise.title}
            </Link>{' '}
            <span className="ws-cell">
              {CELL_TEXT[exercise.state]}
              {exercise.attempts ? ` · ${exercise.attempts} attempt${exercise.attempts === 1 ? '' : 's'}` : ''}
            </span>
          </li>
        ))}
      </ol>
      <div className="ws-message" role="status" aria-live="polite">
        {latest ? (
          <p>
            <strong>From your instructor</strong> <span className="muted">({time(latest.createdAt)})</span>:{' '}
            {latest.text}
          </p>
        ) : null}
      </div>
      {notice ? (
        <p className="ws-notice" role="alert">
          {notice}
        </p>
      ) : null}
    </aside>
  );
}
