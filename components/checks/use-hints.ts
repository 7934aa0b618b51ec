'use client';
// The learner's graded hints of an exercise, kept in step with the server: read when the page opens and
// after each run ends; steps that enough failed runs have opened are recorded as seen when the result
// shows them; a step the learner asks for is opened through the server, which records it.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CheckResult } from '@/lib/checks/check-result';
import type { HintLevel } from '@/lib/hints/hint-policy';
import type { HintsView } from '@/lib/hints/learner-hints';

/** The page event a workshop banner sends when the instructor holds the solutions back or releases them. */
export const SOLUTIONS_EVENT = 'lab:solutions';

/** Graded hints of the shown result, and how to open the next step. */
export interface Hints {
  view: HintsView | null;
  open(checkId: string, level: HintLevel): Promise<void>;
  /** What went wrong opening a step, for the learner. */
  error?: string;
}

/** The hints of `exerciseId`; `checks` are the failed result shown (its failed checks open steps by themselves). */
export function useHints(exerciseId: string, runId: string | undefined, checks: CheckResult[] | undefined): Hints {
  const [view, setView] = useState<HintsView | null>(null);
  const [error, setError] = useState<string>();
  const url = `/api/hints?exerciseId=${encodeURIComponent(exerciseId)}`;

  const post = useCallback(
    async (checkId: string, level: HintLevel, how: 'requested' | 'unlocked') => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ checkId, level, how }),
      }).catch(() => null);
      if (response?.ok) {
        setView((await response.json()) as HintsView);
        setError(undefined);
      } else if (how === 'requested') {
        const reason = response ? ((await response.json().catch(() => ({}))) as { error?: string }).error : undefined;
        setError(reason ?? 'The lab could not open this hint; try again.');
      }
    },
    [url],
  );

  // Read when a run has ended (its failure counts) and when the instructor changes the hold.
  const finished = Boolean(checks);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    fetch(url, { cache: 'no-store' })
      .then((response) => (response.ok ? (response.json() as Promise<HintsView>) : null))
      .then((read) => {
        if (current && read) setView(read);
      })
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [url, runId, finished, generation]);
  useEffect(() => {
    const onChange = () => setGeneration((count) => count + 1);
    window.addEventListener(SOLUTIONS_EVENT, onChange);
    return () => window.removeEventListener(SOLUTIONS_EVENT, onChange);
  }, []);

  // Steps that failed runs have opened are recorded as seen once the result shows their check failing.
  const recording = useRef(new Set<string>());
  useEffect(() => {
    const level = view?.unlockedLevel;
    if (!view || !checks || level === undefined || level === 1) return;
    for (const check of checks) {
      const hints = view.checks[check.id];
      const key = `${check.id}:${level}`;
      if (check.status !== 'fail' || !hints || hints.opened >= level || recording.current.has(key)) continue;
      recording.current.add(key);
      void post(check.id, level, 'unlocked');
    }
  }, [view, checks, post]);

  const open = useCallback((checkId: string, level: HintLevel) => post(checkId, level, 'requested'), [post]);
  return { view, open, error };
}
