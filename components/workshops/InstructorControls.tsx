'use client';
// The instructor's controls: lock or unlock joining, end or reopen the workshop, hold back or release the
// solutions, post a message to everyone, export the results. Each calls the workshop's API with the instructor's key.
import { useRouter } from 'next/navigation';
import { useState } from 'react';

export function InstructorControls(props: {
  workshopId: string;
  instructorKey: string;
  locked: boolean;
  ended: boolean;
  /** Members cannot open the solutions while set. */
  solutionsHeld: boolean;
}) {
  const router = useRouter();
  const [message, setMessage] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const base = `/api/workshops/${props.workshopId}`;
  const headers = { 'content-type': 'application/json', 'x-instructor-key': props.instructorKey };

  const act = async (path: string, body?: unknown, done?: string) => {
    setBusy(true);
    setStatus(null);
    try {
      const response = await fetch(`${base}/${path}`, { method: 'POST', headers, body: JSON.stringify(body ?? {}) });
      const answer = (await response.json().catch(() => ({}))) as { error?: string };
      setStatus(response.ok ? (done ?? 'Done.') : (answer.error ?? `failed (${response.status})`));
      if (response.ok) router.refresh();
      return response.ok;
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="instructor-controls" aria-label="Workshop controls">
      <p>
        {props.ended ? (
          <strong>Ended</strong>
        ) : props.locked ? (
          <strong>Joining locked</strong>
        ) : (
          <strong>Open for joining</strong>
        )}
        {props.solutionsHeld && <strong> · Solutions held back</strong>}
      </p>
      <div className="toolbar">
        {!props.ended &&
          (props.locked ? (
            <button
              type="button"
              disabled={busy}
              onClick={() => void act('unlock', undefined, 'Joining is open again.')}
            >
              Unlock joining
            </button>
          ) : (
            <button type="button" disabled={busy} onClick={() => void act('lock', undefined, 'Joining is locked.')}>
              Lock joining
            </button>
          ))}
        {props.ended ? (
          <button
            type="button"
            disabled={busy}
            onClick={() => void act('reopen', undefined, 'The workshop is open again.')}
          >
            Reopen the workshop
          </button>
        ) : (
          <button
            type="button"
            disabled={busy}
            onClick={() => {
              if (window.confirm('End the workshop? Every sandbox of its learners is stopped; all records are kept.'))
                void act('end', undefined, 'The workshop has ended.');
            }}
          >
            End the workshop
          </button>
        )}
        <button
          type="button"
          disabled={busy}
          aria-pressed={props.solutionsHeld}
          onClick={() =>
            void act(
              'solutions',
              { held: !props.solutionsHeld },
              props.solutionsHeld
                ? 'Solutions released: learners can open them after the hints.'
                : 'Solutions held back: no learner can open them until you release them.',
            )
          }
        >
          {props.solutionsHeld ? 'Release the solutions' : 'Hold back the solutions'}
        </button>
        <a className="button-link" href={`${base}/export.csv?key=${encodeURIComponent(props.instructorKey)}`} download>
          Export results (CSV)
        </a>
      </div>
      <form
        className="message-form"
        onSubmit={(event) => {
          event.preventDefault();
          void act('messages', { text: message }, 'Message posted.').then((ok) => ok && setMessage(''));
        }}
      >
        <label htmlFor="message">Message to everyone</label>
        <input
          id="message"
          value={message}
          maxLength={500}
          onChange={(event) => setMessage(event.target.value)}
          placeholder="e.g. 5 minutes left on this exercise"
        />
        <button type="submit" disabled={busy || !message.trim()}>
          Post
        </button>
      </form>
      {status && (
        <p role="status" className="muted">
          {status}
        </p>
      )}
    </section>
  );
}
