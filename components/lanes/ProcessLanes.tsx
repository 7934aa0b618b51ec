'use client';
// A scenario's lifecycle as process lanes, with a playhead. Live, the playhead is the clock and bars
// grow; dragging, clicking or the arrow keys move it to a moment, and the process tree, the output and
// the checks follow. The whole chart is one Tab stop (a slider): arrows step between moments,
// Shift+arrows by 100 ms, Home/End, Escape returns to live, + and - zoom.
import { useEffect, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent, type PointerEvent } from 'react';
import { scenarioLanes, type LaneRow } from '@/lib/observe/lanes';
import { formatSeconds } from '@/lib/observe/run-view';
import type { TimelineEvent } from '@/lib/observe/timeline-event';
import { describeMoment, domainOf, momentsOf, pctOf, ticksOf, timeAt } from './lane-geometry';
import { flagRows, LaneTracks } from './LaneTracks';
import { LanesLegend, LanesText } from './LanesText';
import './lanes.css';

/** Props of ProcessLanes. */
export interface ProcessLanesProps {
  events: TimelineEvent[];
  scenario: string;
  /** The moment shown (run ms); null follows the run live. */
  cursor: number | null;
  /** The run's clock while it is live; undefined once it has ended. */
  now?: number;
  onCursor(t: number | null): void;
}

const ZOOMS = [1, 2, 4, 8, 16];

/** The process lanes of one scenario, with the playhead. */
export function ProcessLanes({ events, scenario, cursor, now, onCursor }: ProcessLanesProps) {
  const lanes = useMemo(() => scenarioLanes(events, scenario, now), [events, scenario, now]);
  const domain = domainOf(lanes);
  const liveEnd = lanes.end;
  const moments = useMemo(() => momentsOf(lanes), [lanes]);
  const [zoom, setZoom] = useState(1);
  const scroller = useRef<HTMLDivElement>(null);
  const [widthPx, setWidthPx] = useState(600);
  const dragging = useRef(false);
  const inner = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setWidthPx(element.clientWidth));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const shown = cursor ?? liveEnd;
  const playheadPct = pctOf(shown, domain);
  // Keep the playhead in view when zoomed in.
  useEffect(() => {
    const element = scroller.current;
    if (!element || zoom === 1) return;
    const x = (playheadPct / 100) * element.scrollWidth;
    if (x < element.scrollLeft || x > element.scrollLeft + element.clientWidth)
      element.scrollLeft = x - element.clientWidth / 2;
  }, [playheadPct, zoom]);

  const fromPointer = (event: PointerEvent<HTMLDivElement>) => {
    const rect = inner.current?.getBoundingClientRect();
    if (!rect) return;
    onCursor(timeAt((event.clientX - rect.left) / rect.width, domain));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = (direction: 1 | -1) => {
      if (event.shiftKey) return shown + direction * 100;
      const next = direction > 0 ? moments.find((t) => t > shown + 0.5) : moments.findLast((t) => t < shown - 0.5);
      return next ?? (direction > 0 ? liveEnd : lanes.start);
    };
    let target: number | null | undefined;
    if (event.key === 'ArrowRight' || event.key === 'ArrowUp') target = step(1);
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowDown') target = step(-1);
    else if (event.key === 'PageUp') target = shown - 1000;
    else if (event.key === 'PageDown') target = shown + 1000;
    else if (event.key === 'Home') target = lanes.start;
    else if (event.key === 'End') target = liveEnd;
    else if (event.key === 'Escape') target = null;
    else if (event.key === '+' || event.key === '=')
      setZoom((z) => ZOOMS[Math.min(ZOOMS.length - 1, ZOOMS.indexOf(z) + 1)]);
    else if (event.key === '-') setZoom((z) => ZOOMS[Math.max(0, ZOOMS.indexOf(z) - 1)]);
    else return;
    event.preventDefault();
    if (target === undefined) return;
    onCursor(
      target === null || (!lanes.ended && target >= liveEnd && now !== undefined)
        ? null
        : clamp(target, lanes.start, liveEnd),
    );
  };

  const ticks = ticksOf(domain, Math.max(3, Math.round((widthPx * zoom) / 90)));
  const innerPx = Math.max(100, widthPx * zoom - 120);
  const flags = flagRows(lanes, domain, innerPx);
  return (
    <section className="panel ln" aria-label={`Lifecycle of ${scenario}`}>
      <div className="ln-head">
        <h2 className="panel-title">
          Lifecycle <span className="muted">· {scenario}</span>
        </h2>
        <span className="ln-when" aria-hidden="true">
          {cursor === null
            ? now !== undefined
              ? `live · ${formatSeconds(shown)}`
              : `end · ${formatSeconds(shown)}`
            : `at ${formatSeconds(shown)}`}
        </span>
        <span className="ln-zoom" role="group" aria-label="Zoom">
          <button
            type="button"
            onClick={() => setZoom((z) => ZOOMS[Math.max(0, ZOOMS.indexOf(z) - 1)])}
            disabled={zoom === 1}
            aria-label="Zoom out"
          >
            −
          </button>
          <button
            type="button"
            onClick={() => setZoom((z) => ZOOMS[Math.min(ZOOMS.length - 1, ZOOMS.indexOf(z) + 1)])}
            disabled={zoom === ZOOMS.at(-1)}
            aria-label="Zoom in"
          >
            +
          </button>
          {cursor !== null && (
            <button type="button" className="ln-live-button" onClick={() => onCursor(null)}>
              {now !== undefined ? 'Back to live' : 'Back to the end'}
            </button>
          )}
        </span>
      </div>
      <div
        className="ln-chart"
        role="slider"
        tabIndex={0}
        aria-label={`Moment of ${scenario} shown: arrow keys step between changes, Shift+arrows by 0.1 s, Escape returns to ${now !== undefined ? 'live' : 'the end'}`}
        aria-valuemin={Math.round(lanes.start)}
        aria-valuemax={Math.round(liveEnd)}
        aria-valuenow={Math.round(shown)}
        aria-valuetext={`${formatSeconds(shown)}: ${describeMoment(lanes, shown)}`}
        onKeyDown={onKeyDown}
      >
        <div className="ln-labels" aria-hidden="true" style={{ '--flag-rows': flags } as CSSProperties}>
          <div className="ln-label ln-label-axis" />
          <div className="ln-label ln-label-meta">Container</div>
          {lanes.steps.length > 0 && <div className="ln-label ln-label-meta">Steps</div>}
          <div className="ln-label ln-label-meta ln-label-flags">Docker &amp; the lab</div>
          {lanes.rows.map((row) => (
            <div
              key={row.key}
              className={`ln-label${row.pid === 1 ? ' ln-label-pid1' : ''}`}
              style={{ paddingLeft: `${0.4 + row.depth * 0.9}rem` }}
              title={row.command === programOf(row) ? row.command : `${programOf(row)} (exec'd from ${row.command})`}
            >
              {row.depth > 0 && <span className="ln-branch">└</span>}
              <span className="ln-pid">{row.pid}</span> {row.viaExec && <span className="ln-tag">exec</span>}{' '}
              <code className="ln-cmd">{programOf(row)}</code>
            </div>
          ))}
        </div>
        <div className="ln-scroll" ref={scroller}>
          <div
            className="ln-canvas"
            style={{ width: `${zoom * 100}%`, '--flag-rows': flags } as CSSProperties}
            onPointerDown={(event) => {
              dragging.current = true;
              event.currentTarget.setPointerCapture(event.pointerId);
              fromPointer(event);
            }}
            onPointerMove={(event) => dragging.current && fromPointer(event)}
            onPointerUp={() => (dragging.current = false)}
            onPointerCancel={() => (dragging.current = false)}
            aria-hidden="true"
          >
            <div className="ln-inner" ref={inner}>
              <div className="ln-track ln-axis">
                {ticks.map((t) => (
                  <span key={t} className="ln-tick" style={{ left: `${pctOf(t, domain)}%` }}>
                    {formatTick(t)}
                  </span>
                ))}
              </div>
              <LaneTracks lanes={lanes} domain={domain} liveEnd={liveEnd} widthPx={innerPx} />
              <div
                className={`ln-playhead${cursor === null && now !== undefined ? ' ln-playhead-live' : ''}`}
                style={{ left: `${playheadPct}%` }}
              >
                <span className="ln-playhead-time">{formatSeconds(shown)}</span>
              </div>
            </div>
          </div>
        </div>
      </div>
      {lanes.rows.length === 0 && <p className="muted ln-empty">No process seen yet in this container.</p>}
      <LanesLegend />
      <LanesText lanes={lanes} />
    </section>
  );
}

/** What the row runs now: its latest program after any exec ("runc init" becomes the exec'd command). */
function programOf(row: LaneRow): string {
  return row.segments.at(-1)?.execs.at(-1)?.command ?? row.command;
}

function clamp(t: number, from: number, to: number): number {
  return Math.min(to, Math.max(from, t));
}

function formatTick(t: number): string {
  const seconds = t / 1000;
  return Number.isInteger(seconds)
    ? `${seconds} s`
    : `${seconds.toFixed(seconds * 10 === Math.round(seconds * 10) ? 1 : 2)} s`;
}
