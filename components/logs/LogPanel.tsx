'use client';
// What the processes wrote: the build's output first, then the container's stdout and stderr. stderr
// lines carry an "err" tag and a coloured border, so the difference does not rest on colour alone.
import { useId, useMemo } from 'react';
import type { TimelineEvent } from '@/lib/observe/timeline-event';
import { LogLines, type LogLine } from './LogLines';

/** Props of LogPanel. */
export interface LogPanelProps {
  events: TimelineEvent[];
  /** Only this scenario's output; every scenario's (tagged) when absent. */
  scenario?: string;
  /** A line to highlight, e.g. the evidence of a check. */
  selectedSeq?: number;
}

/** The build output and the container output of a run. */
export function LogPanel({ events, scenario, selectedSeq }: LogPanelProps) {
  const titleId = useId();
  const { build, output, truncatedAt } = useMemo(() => {
    const build: LogLine[] = [];
    const output: LogLine[] = [];
    let truncatedAt: number | undefined;
    for (const event of events) {
      if (event.type === 'build-output') build.push({ seq: event.seq, t: event.t, stream: 'build', text: event.text });
      if (scenario !== undefined && event.scenario !== scenario) continue;
      if (event.type === 'output') {
        output.push({
          seq: event.seq,
          t: event.t,
          stream: event.stream,
          text: event.text,
          scenario: scenario === undefined ? event.scenario : undefined,
        });
      } else if (event.type === 'output-truncated') truncatedAt = event.limitBytes;
    }
    // Output is stamped with the engine's time for each line, so seq order is not always time order.
    output.sort((a, b) => a.t - b.t || a.seq - b.seq);
    return { build, output, truncatedAt };
  }, [events, scenario]);

  return (
    <section className="panel logs" aria-labelledby={titleId}>
      <h2 className="panel-title" id={titleId}>
        Output{scenario ? <span className="muted"> · {scenario}</span> : null}
      </h2>
      {build.length > 0 && (
        <div className="log-section">
          <h3 className="log-heading">Build</h3>
          <LogLines lines={build} label="Build output" selectedSeq={selectedSeq} className="log-box-build" />
        </div>
      )}
      <div className="log-section">
        <h3 className="log-heading">
          Container <span className="muted">(stdout, and stderr marked “err”)</span>
        </h3>
        {output.length === 0 ? (
          <p className="muted log-empty">No output yet.</p>
        ) : (
          <LogLines
            lines={output}
            label={`Container output${scenario ? ` of ${scenario}` : ''}`}
            selectedSeq={selectedSeq}
          />
        )}
        {truncatedAt !== undefined && (
          <p className="log-truncated" role="status">
            Output truncated at {Math.round(truncatedAt / 1024)} KiB: later lines were not kept.
          </p>
        )}
      </div>
    </section>
  );
}
