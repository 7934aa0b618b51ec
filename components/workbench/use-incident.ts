'use client';
// The learner's incident in a diagnosis exercise: opened (found or staged) when the page opens, and
// replaced on "New incident". The server answers once the incident's container has stopped and the
// lab has recorded what it observed; the page never learns that truth.
import { useCallback, useEffect, useState } from 'react';
import type { IncidentView } from '@/lib/incidents/learner-incidents';

/** Where the page's incident stands. */
export interface IncidentState {
  view?: IncidentView;
  phase: 'idle' | 'starting' | 'ready' | 'failed';
  error?: string;
  /** Stages a new incident in place of the current one. */
  startNew(): Promise<void>;
}

export function useIncident(exerciseId: string, enabled: boolean, onNew?: () => void): IncidentState {
  const [view, setView] = useState<IncidentView>();
  const [phase, setPhase] = useState<IncidentState['phase']>('idle');
  const [error, setError] = useState<string>();

  const request = useCallback(
    async (fresh: boolean) => {
      setPhase('starting');
      setError(undefined);
      const response = await fetch('/api/incidents', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ exerciseId, fresh }),
      }).catch(() => null);
      const body = (await response?.json().catch(() => ({}))) as { incident?: IncidentView; error?: string };
      if (response?.ok && body.incident?.status === 'ready') {
        setView(body.incident);
        setPhase('ready');
      } else {
        setPhase('failed');
        setError(
          `The lab could not stage an incident (${body?.error ?? 'the lab could not be reached'}). This is not about your answer: press New incident to try again.`,
        );
      }
    },
    [exerciseId],
  );

  useEffect(() => {
    // Opening the page asks the lab for the incident; its phase shows while it is staged.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (enabled) void request(false);
  }, [enabled, request]);

  const startNew = useCallback(async () => {
    onNew?.();
    await request(true);
  }, [onNew, request]);

  return { view, phase, error, startNew };
}
