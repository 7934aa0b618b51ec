'use client';
// Follows what the learner runs from the terminal (GET /api/terminal/events): the same events as a
// run's timeline, one scenario per container. EventSource reconnects by itself with the last id.
import { useEffect, useState } from 'react';
import type { TimelineEvent } from '@/lib/observe/timeline-event';

export function useTerminalActivity(enabled: boolean): TimelineEvent[] {
  const [events, setEvents] = useState<TimelineEvent[]>([]);
  useEffect(() => {
    if (!enabled) return;
    const source = new EventSource('/api/terminal/events');
    source.addEventListener('reset', (message) => {
      const { from } = JSON.parse((message as MessageEvent<string>).data) as { from: number };
      if (from === 0) setEvents([]);
    });
    source.addEventListener('timeline', (message) => {
      const event = JSON.parse((message as MessageEvent<string>).data) as TimelineEvent;
      setEvents((current) => (event.seq < current.length ? current : [...current, event]));
    });
    return () => source.close();
  }, [enabled]);
  return events;
}
