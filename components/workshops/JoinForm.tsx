'use client';
// Code and name; on success the learner goes to the workshop's first exercise.
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { SubmitRow } from './SubmitRow';
import type { JoinedWorkshop } from '@/lib/workshops/join-workshop';

export function JoinForm({ initialCode, nameMaxLength }: { initialCode: string; nameMaxLength: number }) {
  const router = useRouter();
  const [code, setCode] = useState(initialCode);
  const [name, setName] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError('');
    setBusy(true);
    try {
      const response = await fetch('/api/workshops/join', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code, displayName: name }),
      });
      const body = (await response.json().catch(() => ({}))) as JoinedWorkshop & { error?: string };
      if (!response.ok) {
        setError(body.error ?? `the lab answered ${response.status}`);
        setBusy(false);
        return;
      }
      router.push(body.firstExerciseUrl);
    } catch {
      setError('The lab could not be reached.');
      setBusy(false);
    }
  };

  return (
    <form className="ws-form ws-join" onSubmit={(event) => void submit(event)}>
      <label htmlFor="join-code">Workshop code</label>
      <input
        id="join-code"
        className="ws-code-input"
        required
        autoComplete="off"
        autoCapitalize="characters"
        spellCheck={false}
        maxLength={12}
        value={code}
        onChange={(event) => setCode(event.target.value)}
        placeholder="K7RM4Q"
      />
      <label htmlFor="join-name">Your name</label>
      <input
        id="join-name"
        required
        maxLength={nameMaxLength}
        autoComplete="nickname"
        value={name}
        onChange={(event) => setName(event.target.value)}
      />
      <SubmitRow label="Join" busyLabel="Joining…" busy={busy} error={error} />
    </form>
  );
}
