'use client';
// The terminal beside the editor, and which containers the panels show: those of the last Run, or those
// the learner starts from the terminal, observed like a run.
import { useEffect, useMemo, useState } from 'react';
import { useTerminalActivity } from '@/components/terminal/use-terminal-activity';
import type { TimelineEvent } from '@/lib/observe/timeline-event';
import type { RunPhase } from './use-run-stream';

/** Whether this tab had the terminal open (a reload opens it again, on the same shell). */
const TERMINAL_OPEN_KEY = 'lab:terminal-open';

/** The terminal's state on the page. */
export interface TerminalPanel {
  open: boolean;
  toggle(): void;
  /** What the learner ran from the terminal, as timeline events. */
  events: TimelineEvent[];
  /** How many containers the terminal started. */
  containers: number;
  /** The panels show the terminal's containers rather than the last Run. */
  showing: boolean;
  show(source: 'run' | 'terminal'): void;
}

/** The terminal panel; a new Run (`phase` starting) turns the panels back to it. */
export function useTerminalPanel(phase: RunPhase): TerminalPanel {
  // The terminal starts the learner's workstation, so it opens only when asked for.
  const [open, setOpen] = useState(false);
  useEffect(() => {
    // Read once the page is hydrated: the server renders the terminal closed.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setOpen(window.sessionStorage.getItem(TERMINAL_OPEN_KEY) === '1');
  }, []);
  const toggle = () => {
    const next = !open;
    window.sessionStorage.setItem(TERMINAL_OPEN_KEY, next ? '1' : '0');
    setOpen(next);
  };

  // What the learner runs from the terminal, observed like a run; the panels show it or the last Run.
  const events = useTerminalActivity(open);
  const [source, setSource] = useState<'run' | 'terminal'>('run');
  // A container started from the terminal turns the panels to it; a new Run turns them back. Adjusted
  // while rendering, when what they follow changes (React's pattern for state that follows props).
  // Events arrive in batches, so a new container is told by the count of container starts, not by the
  // type of the latest event (a start is followed at once by its first samples).
  const starts = useMemo(() => events.filter((event) => event.type === 'container-start').length, [events]);
  const containers = useMemo(
    () => new Set(events.flatMap((event) => (event.type === 'scenario-start' ? [event.scenario] : []))).size,
    [events],
  );
  const [followed, setFollowed] = useState({ starts, phase });
  if (followed.starts !== starts || followed.phase !== phase) {
    setFollowed({ starts, phase });
    if (starts > followed.starts) setSource('terminal');
    if (followed.phase !== phase && phase === 'starting') setSource('run');
  }
  const showing = source === 'terminal' && (open || events.length > 0);
  return { open, toggle, events, containers, showing, show: setSource };
}
