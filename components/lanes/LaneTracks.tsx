'use client';
// The drawing of the lanes: the container's incarnations, the steps, the flags of what Docker or the
// lab did, then one track per process with its bars and how each ended. Pointer-only (aria-hidden):
// the chart's slider speaks the moment, and LanesText says the same in words.
import type { CSSProperties } from 'react';
import { endingLabel, endingShort, type Ending, type ScenarioLanes } from '@/lib/observe/lanes';
import { formatSeconds } from '@/lib/observe/run-view';
import { pctOf, stackFlags, type Domain } from './lane-geometry';

/** Props of LaneTracks. */
export interface LaneTracksProps {
  lanes: ScenarioLanes;
  domain: Domain;
  /** Where bars still running end: the live clock, or the scenario's end. */
  liveEnd: number;
  widthPx: number;
}

const at = (t: number, domain: Domain): CSSProperties => ({ left: `${pctOf(t, domain)}%` });
const span = (from: number, to: number, domain: Domain): CSSProperties => {
  const left = pctOf(from, domain);
  return { left: `${left}%`, width: `${Math.max(0.3, pctOf(to, domain) - left)}%` };
};

function endingTone(ending: Ending): string {
  if (ending.kind === 'exit') return ending.code === 0 ? 'ok' : 'fail';
  if (ending.kind === 'signal' || ending.kind === 'after-signal') return 'signal';
  if (ending.kind === 'oom') return 'oom';
  return 'quiet';
}

/** The flag rows' height, for the labels column to line up. */
export function flagRows(lanes: ScenarioLanes, domain: Domain, widthPx: number): number {
  return Math.max(1, ...stackFlags(lanes.annotations, domain, widthPx).map((f) => f.row + 1));
}

/** The tracks of the lanes chart. */
export function LaneTracks({ lanes, domain, liveEnd, widthPx }: LaneTracksProps) {
  const flags = stackFlags(lanes.annotations, domain, widthPx);
  return (
    <>
      <div className="ln-track ln-track-container">
        {lanes.bands.map((band, i) => {
          const next = lanes.bands[i + 1];
          const end = band.end ?? liveEnd;
          return (
            <span key={band.index}>
              <span
                className={`ln-band${band.end === undefined ? ' ln-live' : ''}`}
                style={span(band.start, end, domain)}
                title={`${i === 0 ? 'Started' : `Restart ${i}`} at ${formatSeconds(band.start)}${band.exit ? `, exited with ${band.exit.code} at ${formatSeconds(end)}` : ', running'}`}
              >
                <span className="ln-band-text">{i === 0 ? 'container up' : `up again (restart ${i})`}</span>
              </span>
              {band.grace && (
                <span
                  className="ln-grace"
                  style={span(band.grace.from, band.grace.to ?? liveEnd, domain)}
                  title="The grace period: Docker waits this long for PID 1 to exit after its stop signal, then sends SIGKILL"
                >
                  <span className="ln-band-text">
                    grace {formatSeconds((band.grace.to ?? liveEnd) - band.grace.from)}
                  </span>
                </span>
              )}
              {band.end !== undefined && next && (
                <span
                  className="ln-backoff"
                  style={span(band.end, next.start, domain)}
                  title={`Docker waited ${formatSeconds(next.start - band.end)} before starting it again`}
                />
              )}
            </span>
          );
        })}
      </div>
      <div className="ln-track ln-track-steps" hidden={lanes.steps.length === 0}>
        {lanes.steps.map((step) => (
          <span
            key={step.seq}
            className={`ln-step${step.end === undefined ? ' ln-live' : ''}${step.outcome === 'timeout' ? ' ln-step-timeout' : ''}`}
            style={span(step.start, step.end ?? liveEnd, domain)}
            title={`${step.detail} (${formatSeconds(step.start)}${step.end !== undefined ? ` to ${formatSeconds(step.end)}, ${step.outcome}` : ', running'})`}
          >
            {/* Too narrow for its name: the tooltip and the text below carry it. */}
            {((pctOf(step.end ?? liveEnd, domain) - pctOf(step.start, domain)) / 100) * widthPx > 48 && (
              <span className="ln-step-text">{step.title}</span>
            )}
          </span>
        ))}
      </div>
      <div
        className="ln-track ln-track-flags"
        style={{ '--flag-rows': flagRows(lanes, domain, widthPx) } as CSSProperties}
      >
        {flags.map(({ annotation, row }) => (
          <span
            key={annotation.seq}
            className={`ln-flag ln-kind-${annotation.kind}`}
            style={{ ...at(annotation.t, domain), '--flag': row } as CSSProperties}
            title={`${formatSeconds(annotation.t)} · ${annotation.label}`}
          >
            {annotation.short}
          </span>
        ))}
      </div>
      {lanes.rows.map((row) => (
        <div className="ln-track ln-track-process" key={row.key}>
          {row.segments.map((segment) => {
            const end = segment.end ?? liveEnd;
            const zombie = segment.zombieFrom;
            return (
              <span key={segment.startSeq}>
                <span
                  className={`ln-bar${segment.end === undefined ? ' ln-live' : ''}${row.pid === 1 ? ' ln-bar-pid1' : ''}`}
                  style={span(segment.start, zombie ?? end, domain)}
                  title={`PID ${row.pid} ${row.command}: from ${formatSeconds(segment.start)}${segment.end === undefined ? ', running' : ` to ${formatSeconds(segment.end)}`}`}
                />
                {zombie !== undefined && (
                  <span
                    className="ln-zombie"
                    style={span(zombie, end, domain)}
                    title={`zombie from ${formatSeconds(zombie)}: exited, not yet reaped by its parent`}
                  />
                )}
                {segment.execs.map((exec) => (
                  <span
                    key={exec.t}
                    className="ln-exec"
                    style={at(exec.t, domain)}
                    title={`${formatSeconds(exec.t)}: exec → ${exec.command}`}
                  />
                ))}
                {segment.ending && (
                  <span
                    className={`ln-end ln-end-${endingTone(segment.ending)}`}
                    style={at(end, domain)}
                    title={`${formatSeconds(end)}: ${endingLabel(segment.ending)}`}
                  >
                    {endingShort(segment.ending)}
                  </span>
                )}
              </span>
            );
          })}
        </div>
      ))}
      <div className="ln-lines">
        {lanes.annotations.map((annotation) => (
          <span
            key={annotation.seq}
            className={`ln-line ln-kind-${annotation.kind}`}
            style={at(annotation.t, domain)}
          />
        ))}
      </div>
    </>
  );
}
