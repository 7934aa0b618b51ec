'use client';
// Follows what the learner runs from the terminal (GET /api/terminal/events): the same events as a
// run's timeline, one scenario per container. EventSource reconnects by itself with the last id after
// a dropped connection; after a refusal (a first visit, before the learner cookie exists) it gives up,
// so this tries again a little later.
import { useEffect, useState } from 'react';
import type { TimelineEvent } from '@/lib/observe/timeline-event';

const RETRY_MS = 2_000;

export function useTerminalActivity(enabled: boolean): TimelineEvent[] {
  const [events, setEvents] = useState<TimelineEvent[]>([]);
  useEffect(() => {
    if (!enabled) return;
    let source: EventSource | null = null;
    let retry: number | undefined;
    let stopped = false;
    const open = () => {
      source = new EventSource('/api/terminal/events');
      source.addEventListener('reset', (message) => {
        const { from } = JSON.parse((message as MessageEvent<string>).data) as { from: number };
        if (from === 0) setEvents([]);
      });
      source.addEventListener('timeline', (message) => {
        const event = JSON.parse((message as MessageEvent<string>).data) as TimelineEvent;
        setEvents((current) => (event.seq < current.length ? current : [...current, event]));
      });
      source.addEventListener('error', () => {
        if (stopped || source?.readyState !== EventSource.CLOSED) return;
        retry = window.setTimeout(open, RETRY_MS);
      });
    };
    open();
    return () => {
      stopped = true;
      window.clearTimeout(retry);
      source?.close();
    };
  }, [enabled]);
  return events;
}
