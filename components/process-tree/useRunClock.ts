'use client';
// A live estimate of the run's clock. Events only arrive when something changes, so the time of the
// latest event says nothing about "now": without a clock, a "new" badge would stay until the next
// event. The clock runs from the latest event's time at wall-clock speed, and stops ticking once the
// window it serves (the "recent" marks) has passed.
import { useEffect, useState } from 'react';

/** Run time (ms) now, extrapolated from the latest event's `t`; undefined when not live. */
export function useRunClock(latestT: number, live: boolean, windowMs: number): number | undefined {
  const [now, setNow] = useState<number | undefined>(undefined);
  useEffect(() => {
    if (!live) return;
    const startedAt = performance.now();
    const id = setInterval(() => {
      const elapsed = performance.now() - startedAt;
      setNow(latestT + elapsed);
      if (elapsed > windowMs + 250) clearInterval(id);
    }, 250);
    return () => clearInterval(id);
  }, [latestT, live, windowMs]);
  // A stale value from before the latest event must not count: processesAt never rewinds anyway.
  return live && now !== undefined && now >= latestT ? now : undefined;
}
