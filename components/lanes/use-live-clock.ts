'use client';
// The run's clock while it is live. Events arrive only when something changes, so the latest event's
// time says nothing about "now": the clock runs on from it at wall-clock speed, ten times a second, so
// bars grow and a grace period visibly counts down between two events.
import { useEffect, useState } from 'react';

/** Run time (ms) now, extrapolated from the latest event's `t`; undefined when not live. */
export function useLiveClock(latestT: number, live: boolean): number | undefined {
  const [now, setNow] = useState<{ from: number; value: number }>();
  useEffect(() => {
    if (!live) return;
    const startedAt = performance.now();
    const id = setInterval(() => setNow({ from: latestT, value: latestT + performance.now() - startedAt }), 100);
    return () => clearInterval(id);
  }, [latestT, live]);
  if (!live) return undefined;
  // A value computed from an older event does not count: the clock never runs behind the events.
  return now && now.from === latestT ? now.value : latestT;
}
