'use client';
// The run on a time axis: a lane for the build and run-level events, one per scenario. Markers and
// step bars are buttons (Tab reaches each, Enter selects it); a text list below says the same thing
// in words, for reading and for screen readers.
import { useId, useMemo, type CSSProperties } from 'react';
import { formatSeconds } from '@/lib/observe/run-view';
import type { TimelineEvent } from '@/lib/observe/timeline-event';
import { lanesOf, ticksOf, type Lane, type Mark, type Span } from './timeline-marks';
import { TimelineList } from './TimelineList';

/** Props of Timeline. */
export interface TimelineProps {
  events: TimelineEvent[];
  /** The event shown as selected (its marker highlighted, a cursor at its time). */
  selectedSeq?: number;
  onSelect?: (seq: number) => void;
}

/** Spans and marks of a lane in time order. */
function laneItems(lane: Lane): ({ span: Span; mark?: undefined } | { mark: Mark; span?: undefined })[] {
  const items = [
    ...lane.spans.map((span) => ({ t: span.start, seq: span.startSeq, span })),
    ...lane.marks.map((mark) => ({ t: mark.t, seq: mark.seq, mark })),
  ];
  return items.sort((a, b) => a.t - b.t || a.seq - b.seq);
}

const pct = (t: number, duration: number) => `${Math.min(100, Math.max(0, (t / duration) * 100))}%`;

/** A horizontal timeline of the run's lifecycle events, with a clickable list of them below. */
export function Timeline({ events, selectedSeq, onSelect }: TimelineProps) {
  const titleId = useId();
  const { lanes, duration } = useMemo(() => lanesOf(events), [events]);
  const ticks = useMemo(() => ticksOf(duration), [duration]);
  const selected = selectedSeq === undefined ? undefined : events.find((event) => event.seq === selectedSeq);
  const select = (seq: number) => onSelect?.(seq);

  const renderLane = (lane: Lane) => (
    <div
      className="tl-lane"
      role="group"
      aria-label={`Lane: ${lane.title}`}
      key={lane.id}
      style={{ '--rows': lane.rows } as CSSProperties}
    >
      <div className="tl-lane-title" title={lane.title}>
        {lane.title}
      </div>
      <div className="tl-track">
        {selected && <div className="tl-cursor" style={{ left: pct(selected.t, duration) }} aria-hidden="true" />}
        {/* Interleaved by time, so Tab walks the lane from left to right. */}
        {laneItems(lane).map((item) => {
          if (item.span) {
            const span = item.span;
            const isSelected =
              selectedSeq !== undefined && (selectedSeq === span.startSeq || selectedSeq === span.endSeq);
            const left = (span.start / duration) * 100;
            // A step that took no time still needs a bar wide enough to see and click.
            const width = Math.max(0.8, ((span.end - span.start) / duration) * 100);
            return (
              <button
                type="button"
                key={`span-${span.startSeq}`}
                className={`tl-span tl-tone-${span.tone}${span.running ? ' tl-running' : ''}${isSelected ? ' tl-selected' : ''}`}
                style={{ left: `${left}%`, width: `${Math.min(width, 100 - left)}%` }}
                aria-label={span.label}
                aria-pressed={isSelected}
                onClick={() => select(span.seq)}
              >
                {/* Too narrow for its name: the tooltip and the list below carry it. */}
                {width >= 4 && (
                  <span className="tl-span-text" aria-hidden="true">
                    {span.title}
                  </span>
                )}
                <span className={`tl-tip${left > 75 ? ' tl-tip-end' : ''}`} aria-hidden="true">
                  {span.label}
                </span>
              </button>
            );
          }
          const mark = item.mark;
          const isSelected = selectedSeq === mark.seq;
          const left = (mark.t / duration) * 100;
          return (
            <button
              type="button"
              key={mark.seq}
              className={`tl-mark tl-tone-${mark.tone}${isSelected ? ' tl-selected' : ''}`}
              style={{ left: pct(mark.t, duration), '--row': mark.row } as CSSProperties}
              aria-label={mark.label}
              aria-pressed={isSelected}
              onClick={() => select(mark.seq)}
            >
              <span aria-hidden="true">{mark.glyph}</span>
              <span className={`tl-tip${left > 75 ? ' tl-tip-end' : ''}`} aria-hidden="true">
                {mark.label}
              </span>
            </button>
          );
        })}
      </div>
    </div>
  );

  return (
    <section className="panel tl" aria-labelledby={titleId}>
      <h2 className="panel-title" id={titleId}>
        Timeline{' '}
        <span className="muted">
          · {formatSeconds(events.reduce((max, event) => Math.max(max, event.t), 0))}
          {selected ? ` · selected: event #${selected.seq} at ${formatSeconds(selected.t)}` : ''}
        </span>
      </h2>
      {events.length === 0 ? (
        <p className="muted">Nothing has happened yet.</p>
      ) : (
        <div className="tl-chart">
          <div className="tl-lane tl-axis" aria-hidden="true">
            <div className="tl-lane-title" />
            <div className="tl-track">
              {ticks.map((t) => (
                <span className="tl-tick" key={t} style={{ left: pct(t, duration) }}>
                  {t % 1000 === 0 ? `${t / 1000} s` : `${(t / 1000).toFixed(1)} s`}
                </span>
              ))}
            </div>
          </div>
          {lanes.map(renderLane)}
        </div>
      )}
      <TimelineList events={events} selectedSeq={selectedSeq} onSelect={onSelect} />
    </section>
  );
}
