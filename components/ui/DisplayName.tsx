'use client';
// The learner's display name: optional, no account; saved on the server.
import { useEffect, useState, type FormEvent } from 'react';

export function DisplayName() {
  const [name, setName] = useState('');
  const [state, setState] = useState<string>('');

  useEffect(() => {
    fetch('/api/learner')
      .then((response) => response.json() as Promise<{ displayName: string | null }>)
      .then((body) => setName(body.displayName ?? ''))
      .catch(() => undefined);
  }, []);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const response = await fetch('/api/learner', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: name }),
    }).catch(() => null);
    const body = (await response?.json().catch(() => ({}))) as { error?: string };
    setState(response?.ok ? 'Saved' : (body?.error ?? 'the lab could not be reached'));
  };

  return (
    <form className="display-name" onSubmit={(event) => void save(event)}>
      <label htmlFor="display-name">Your name (optional)</label>
      <input
        id="display-name"
        value={name}
        maxLength={60}
        onChange={(event) => setName(event.target.value)}
        placeholder="shown to your instructor"
      />
      <button type="submit">Save</button>
      <span className="muted" role="status" aria-live="polite">
        {state}
      </span>
    </form>
  );
}
