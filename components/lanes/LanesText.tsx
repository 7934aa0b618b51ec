'use client';
// The lanes in words: each process's life and each thing Docker or the lab did, in time order. Shown on
// demand under the chart, and what a screen reader follows; and the legend of the chart's marks.
import { endingLabel, type ScenarioLanes } from '@/lib/observe/lanes';
import { formatSeconds } from '@/lib/observe/run-view';

/** One sentence per process life and per annotation, ordered by time. */
export function lanesSentences(lanes: ScenarioLanes): { t: number; text: string }[] {
  const lines: { t: number; text: string }[] = [];
  for (const row of lanes.rows) {
    for (const segment of row.segments) {
      const life = segment.end === undefined ? 'still running' : `until ${formatSeconds(segment.end)}`;
      const zombie = segment.zombieFrom === undefined ? '' : `, a zombie from ${formatSeconds(segment.zombieFrom)}`;
      const execs = segment.execs.map((exec) => `, exec'd into ${exec.command} at ${formatSeconds(exec.t)}`).join('');
      const how = segment.ending ? `: ${endingLabel(segment.ending)}` : '';
      const origin = row.viaExec ? ' (started by docker exec)' : row.depth > 0 ? '' : ' (PID 1)';
      lines.push({
        t: segment.start,
        text: `PID ${row.pid} ${row.command}${origin} from ${formatSeconds(segment.start)} ${life}${execs}${zombie}${how}`,
      });
    }
  }
  for (const annotation of lanes.annotations) lines.push({ t: annotation.t, text: annotation.label });
  return lines.sort((a, b) => a.t - b.t);
}

/** The lanes as a list of sentences. */
export function LanesText({ lanes }: { lanes: ScenarioLanes }) {
  return (
    <details className="ln-text">
      <summary>The lifecycle in words</summary>
      <ol>
        {lanesSentences(lanes).map((line, i) => (
          <li key={i}>
            <span className="ln-text-time">{formatSeconds(line.t)}</span> {line.text}
          </li>
        ))}
      </ol>
    </details>
  );
}

/** What the chart's marks mean. */
export function LanesLegend() {
  return (
    <ul className="ln-legend" aria-label="Legend">
      <li>
        <span className="ln-sw ln-sw-bar" aria-hidden="true" /> a process running
      </li>
      <li>
        <span className="ln-sw ln-sw-zombie" aria-hidden="true" /> zombie (exited, not reaped)
      </li>
      <li>
        <span className="ln-sw ln-sw-backoff" aria-hidden="true" /> Docker waiting to restart
      </li>
      <li>
        <span className="ln-sw ln-sw-stop" aria-hidden="true" /> docker stop
      </li>
      <li>
        <span className="ln-sw ln-sw-signal" aria-hidden="true" /> signal to PID 1
      </li>
      <li>
        <span className="ln-sw ln-sw-sigkill" aria-hidden="true" /> SIGKILL after the grace period
      </li>
      <li>
        <span className="ln-sw ln-sw-exec" aria-hidden="true" /> docker exec, or an exec into a new program
      </li>
    </ul>
  );
}
