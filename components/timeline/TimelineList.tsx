'use client';
// The lifecycle events of the run as lines of text ("1.32 s  main  exit 137 = killed by SIGKILL"): the
// chart's content in a form that can be read, searched and followed by a screen reader.
import { useEffect, useMemo, useRef } from 'react';
import { eventLabel, formatSeconds } from '@/lib/observe/run-view';
import type { TimelineEvent } from '@/lib/observe/timeline-event';

/** Props of TimelineList. */
export interface TimelineListProps {
  events: TimelineEvent[];
  selectedSeq?: number;
  onSelect?: (seq: number) => void;
}

/** A compact, clickable list of the run's lifecycle events. */
export function TimelineList({ events, selectedSeq, onSelect }: TimelineListProps) {
  const listRef = useRef<HTMLOListElement>(null);
  const items = useMemo(
    () =>
      events.flatMap((event) => {
        const text = eventLabel(event);
        return text ? [{ event, text }] : [];
      }),
    [events],
  );

  // Keep the selected line in view inside the list, without scrolling the whole page; with nothing
  // selected, follow the newest line as the run goes on.
  useEffect(() => {
    const list = listRef.current;
    const current = list?.querySelector<HTMLElement>('[aria-pressed="true"]');
    if (list && !current) list.scrollTop = list.scrollHeight;
    if (!list || !current) return;
    // The list is position: relative (see globals.css), so offsetTop is measured from its top.
    const top = current.offsetTop;
    if (top < list.scrollTop || top + current.offsetHeight > list.scrollTop + list.clientHeight) {
      list.scrollTop = top - list.clientHeight / 2;
    }
  }, [selectedSeq, items.length]);

  if (items.length === 0) return null;
  return (
    <ol className="tl-list" ref={listRef} aria-label="Lifecycle events">
      {items.map(({ event, text }) => {
        const selected = event.seq === selectedSeq;
        const tone =
          event.type === 'container-die' ? (event.oomKilled ? 'warn' : event.exitCode === 0 ? 'pass' : 'fail') : '';
        return (
          <li key={event.seq}>
            <button
              type="button"
              className={`tl-list-item${selected ? ' tl-selected' : ''}${tone ? ` tl-text-${tone}` : ''}`}
              aria-pressed={selected}
              onClick={() => onSelect?.(event.seq)}
            >
              <span className="tl-list-time">{formatSeconds(event.t)}</span>
              <span className="tl-list-scenario">{event.scenario ?? 'run'}</span>
              <span className="tl-list-text">{text}</span>
            </button>
          </li>
        );
      })}
    </ol>
  );
}
