// Geometry for the timeline chart, kept apart from React: which lane each lifecycle event goes in, its
// glyph and colour, and which row it takes so close markers do not cover each other.
import { eventLabel, formatSeconds } from '@/lib/observe/run-view';
import type { TimelineEvent } from '@/lib/observe/timeline-event';

/** The colour family of a marker or span; the text always says the same thing in words. */
export type Tone = 'neutral' | 'accent' | 'pass' | 'fail' | 'warn';

/** One point event on a lane. */
export interface Mark {
  seq: number;
  t: number;
  glyph: string;
  /** Full text for the tooltip and the accessible name. */
  label: string;
  tone: Tone;
  /** Stacking row within the lane, from 0. */
  row: number;
}

/** A step (action-start..action-end) or the build, drawn as a bar. */
export interface Span {
  /** The seq selected when the bar is clicked: its end when it has one (the state after the step). */
  seq: number;
  startSeq: number;
  endSeq?: number;
  start: number;
  end: number;
  title: string;
  label: string;
  tone: Tone;
  running: boolean;
}

/** One horizontal lane: the build/run lane or a scenario. */
export interface Lane {
  id: string;
  title: string;
  marks: Mark[];
  spans: Span[];
  rows: number;
}

/** How many marker rows a lane may stack before markers overlap anyway. */
const MAX_ROWS = 3;
/** Markers closer than this (percent of the width) go in different rows. */
const MIN_GAP_PCT = 3.5;

function markOf(event: TimelineEvent): Omit<Mark, 'row' | 'label'> | null {
  const base = { seq: event.seq, t: event.t };
  switch (event.type) {
    case 'queued':
      return { ...base, glyph: '⋯', tone: 'neutral' };
    case 'rejected':
    case 'platform-error':
      return { ...base, glyph: '!', tone: 'fail' };
    case 'build-start':
      return { ...base, glyph: '▶', tone: 'neutral' };
    case 'build-end':
      return { ...base, glyph: event.ok ? '✓' : '✕', tone: event.ok ? 'pass' : 'fail' };
    case 'container-create':
      return { ...base, glyph: '+', tone: 'neutral' };
    case 'container-start':
      return { ...base, glyph: '▶', tone: 'accent' };
    case 'container-die':
      // The code itself is the glyph: colour is never the only cue.
      return {
        ...base,
        glyph: event.oomKilled ? `OOM ${event.exitCode}` : String(event.exitCode),
        tone: event.oomKilled ? 'warn' : event.exitCode === 0 ? 'pass' : 'fail',
      };
    case 'container-restart':
      return { ...base, glyph: `↻${event.restartCount}`, tone: 'warn' };
    case 'deadline':
      return { ...base, glyph: '◷', tone: 'warn' };
    case 'disk-limit':
      return { ...base, glyph: '⛁', tone: 'warn' };
    case 'run-end':
      return { ...base, glyph: '■', tone: event.status === 'pass' ? 'pass' : 'fail' };
    default:
      return null;
  }
}

// Greedy stacking: each marker takes the first row where the previous marker is far enough away.
function stack(marks: Omit<Mark, 'row'>[], duration: number): { marks: Mark[]; rows: number } {
  const lastPct: number[] = [];
  const placed = [...marks]
    .sort((a, b) => a.t - b.t || a.seq - b.seq)
    .map((mark) => {
      const pct = (mark.t / duration) * 100;
      let row = lastPct.findIndex((last) => pct - last >= MIN_GAP_PCT);
      if (row < 0) row = lastPct.length < MAX_ROWS ? lastPct.length : lastPct.indexOf(Math.min(...lastPct));
      lastPct[row] = pct;
      return { ...mark, row };
    });
  return { marks: placed, rows: Math.max(1, lastPct.length) };
}

function spansOf(events: TimelineEvent[], lastT: number): Span[] {
  const spans: Span[] = [];
  for (const start of events) {
    if (start.type === 'build-start') {
      const end = events.find((e) => e.type === 'build-end' && e.seq > start.seq);
      const ok = end?.type === 'build-end' && end.ok;
      spans.push({
        seq: end?.seq ?? start.seq,
        startSeq: start.seq,
        endSeq: end?.seq,
        start: start.t,
        end: end?.t ?? lastT,
        title: 'build',
        label: `build, ${formatSeconds(start.t)} to ${end ? formatSeconds(end.t) : 'now'}${end ? (ok ? ', succeeded' : ', failed') : ', running'}`,
        tone: !end ? 'neutral' : ok ? 'pass' : 'fail',
        running: !end,
      });
    } else if (start.type === 'action-start') {
      const end = events.find((e) => e.type === 'action-end' && e.action === start.action && e.seq > start.seq);
      const outcome = end?.type === 'action-end' ? end.outcome : undefined;
      spans.push({
        seq: end?.seq ?? start.seq,
        startSeq: start.seq,
        endSeq: end?.seq,
        start: start.t,
        end: end?.t ?? lastT,
        title: start.action,
        label: `step ${start.action} (${start.detail || start.kind}), ${formatSeconds(start.t)} to ${end ? formatSeconds(end.t) : 'now'}, ${outcome ?? 'running'}`,
        tone: outcome === 'timeout' ? 'warn' : outcome === 'skipped' ? 'neutral' : 'accent',
        running: !end,
      });
    }
  }
  return spans;
}

/** The chart's lanes (run/build first, then scenarios in order) and its duration in ms. */
export function lanesOf(events: TimelineEvent[]): { lanes: Lane[]; duration: number } {
  const lastT = events.reduce((max, event) => Math.max(max, event.t), 0);
  // A little room after the last event, so its marker is not cut at the edge.
  const duration = Math.max(1000, lastT * 1.03);
  const groups = new Map<string, TimelineEvent[]>([['', []]]);
  for (const event of events) {
    const key = event.scenario ?? '';
    const group = groups.get(key);
    if (group) group.push(event);
    else groups.set(key, [event]);
  }
  const lanes = [...groups].map(([id, laneEvents]) => {
    const raw = laneEvents.flatMap((event) => {
      const mark = markOf(event);
      return mark ? [{ ...mark, label: `${formatSeconds(event.t)} · ${eventLabel(event) ?? event.type}` }] : [];
    });
    const { marks, rows } = stack(raw, duration);
    return { id, title: id || 'Build & run', marks, spans: spansOf(laneEvents, lastT), rows };
  });
  return { lanes, duration };
}

/** Tick positions (ms) for the time axis: a round step giving at most about 8 ticks. */
export function ticksOf(duration: number): number[] {
  const steps = [100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 30_000, 60_000, 120_000, 300_000];
  const step = steps.find((s) => duration / s <= 8) ?? steps.at(-1)!;
  const ticks: number[] = [];
  for (let t = 0; t <= duration; t += step) ticks.push(t);
  return ticks;
}
