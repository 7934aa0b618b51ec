'use client';
// The instructor's live view of a workshop: learners × exercises, the failure classes of each exercise,
// who looks stuck, and a learner's latest attempt on a click. Updated by the server as the room works
// (Server-Sent Events); each update says when the activity behind it happened, so the page can show
// how fresh it is.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { RunPanels } from '@/components/run/RunPanels';
import { FailureClasses } from '@/components/workshops/FailureClasses';
import { RoomPredictions } from '@/components/workshops/RoomPredictions';
import type { CheckResult, CheckStatus } from '@/lib/checks/check-result';
import type { TimelineEvent } from '@/lib/observe/timeline-event';
import type { Cell, Dashboard } from '@/lib/workshops/dashboard';

const STATE_LABEL: Record<Cell['state'], string> = {
  'not-started': 'not started',
  working: 'working',
  passing: 'passing',
  failing: 'failing',
};

function minutes(ms: number): string {
  if (ms < 60_000) return ms ? '<1 min' : '';
  return `${Math.round(ms / 60_000)} min`;
}

interface LatestAttempt {
  displayName: string;
  attempt: null | {
    id: string;
    exerciseId: string;
    status: string;
    files: { name: string; content: string }[];
    checks: CheckResult[];
    summary: { timeline?: TimelineEvent[] };
    startedAt: number;
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

/** The lab machine's queue: runs at once, waiting, the recent p95 wait for a slot, keeping up or not. */
function MachineLine({ machine }: { machine: NonNullable<Dashboard['machine']> }) {
  return (
    <p className={`dash-machine${machine.keepsUp ? '' : ' dash-behind'}`}>
      <strong>The lab machine:</strong> {machine.active} of {machine.slots} runs at once
      {machine.waiting > 0 && `, ${machine.waiting} waiting (the last starts in about ${seconds(machine.drainMs)})`} ·
      wait for a slot p95 {seconds(machine.waitP95Ms)} over the last 5 min ({machine.runs} run
      {machine.runs === 1 ? '' : 's'}) ·{' '}
      {machine.keepsUp ? 'keeping up' : 'falling behind: learners wait more than 20 s for their runs to start'}
    </p>
  );
}

export function ClassDashboard({ apiBase, instructorKey }: { apiBase: string; instructorKey: string }) {
  const [dashboard, setDashboard] = useState<Dashboard | null>(null);
  const [connected, setConnected] = useState(false);
  const [lag, setLag] = useState<number | null>(null);
  const [selected, setSelected] = useState<{ learnerId: string; exerciseId: string } | null>(null);
  const [latest, setLatest] = useState<LatestAttempt | null>(null);
  const [resetStatus, setResetStatus] = useState<string | null>(null);
  const query = `key=${encodeURIComponent(instructorKey)}`;

  useEffect(() => {
    const source = new EventSource(`${apiBase}/dashboard?${query}`);
    source.addEventListener('open', () => setConnected(true));
    source.addEventListener('error', () => setConnected(false));
    source.addEventListener('dashboard', (message) => {
      const data = JSON.parse((message as MessageEvent<string>).data) as { dashboard: Dashboard; trigger?: number };
      setDashboard(data.dashboard);
      if (data.trigger) setLag(Date.now() - data.trigger);
      // Exposed for the load test: when each update reached the page.
      (window as unknown as { __dashboardUpdates?: { trigger?: number; shownAt: number }[] }).__dashboardUpdates?.push({
        trigger: data.trigger,
        shownAt: Date.now(),
      });
    });
    return () => source.close();
  }, [apiBase, query]);

  const openAttempt = useCallback(
    async (learnerId: string, exerciseId: string) => {
      setSelected({ learnerId, exerciseId });
      setLatest(null);
      setResetStatus(null);
      const response = await fetch(
        `${apiBase}/members/${encodeURIComponent(learnerId)}/latest?exercise=${encodeURIComponent(exerciseId)}&${query}`,
      );
      if (response.ok) setLatest((await response.json()) as LatestAttempt);
    },
    [apiBase, query],
  );

  const stuck = useMemo(() => (dashboard?.learners ?? []).filter((row) => row.stuck.length), [dashboard]);

  if (!dashboard) return <p className="muted">{connected ? 'Loading the room…' : 'Connecting…'}</p>;
  const titles = Object.fromEntries(dashboard.exercises.map((exercise) => [exercise.id, exercise.title]));
  const learnerCount = dashboard.learners.length;

  return (
    <div className="dash">
      <p className="muted" role="status">
        {learnerCount} learner{learnerCount === 1 ? '' : 's'} · {connected ? 'live' : 'reconnecting…'}
        {lag !== null && ` · last update ${lag} ms after the activity`}
      </p>
      {dashboard.machine && <MachineLine machine={dashboard.machine} />}

      {stuck.length > 0 && (
        <section className="dash-stuck" aria-labelledby="stuck-title">
          <h2 id="stuck-title">Looks stuck ({stuck.length})</h2>
          <ul>
            {stuck.map((row) => (
              <li key={row.learnerId}>
                <strong>{row.displayName}</strong>:{' '}
                {row.stuck.map((flag, index) => (
                  <span key={index}>
                    {index > 0 && '; '}
                    {flag.exerciseId ? (
                      <button
                        type="button"
                        className="link-button"
                        onClick={() => void openAttempt(row.learnerId, flag.exerciseId!)}
                      >
                        {titles[flag.exerciseId]}: {flag.reason}
                      </button>
                    ) : (
                      flag.reason
                    )}
                  </span>
                ))}
              </li>
            ))}
          </ul>
        </section>
      )}

      <section aria-labelledby="grid-title">
        <h2 id="grid-title">Progress</h2>
        <div className="dash-grid-wrap">
          <table className="dash-grid">
            <thead>
              <tr>
                <th scope="col">Learner</th>
                {dashboard.exercises.map((exercise) => (
                  <th scope="col" key={exercise.id}>
                    {exercise.title}
                    <div className="muted dash-counts">
                      {exercise.passing} passing · {exercise.failing} failing · {exercise.working} working
                    </div>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {dashboard.learners.map((row) => (
                <tr key={row.learnerId} className={row.stuck.length ? 'dash-row-stuck' : undefined}>
                  <th scope="row">
                    {row.displayName}
                    {row.stuck.length > 0 && (
                      <span className="dash-flag" title={row.stuck.map((flag) => flag.reason).join('; ')}>
                        {' '}
                        ⚑ stuck
                      </span>
                    )}
                  </th>
                  {dashboard.exercises.map((exercise) => {
                    const cell = row.cells[exercise.id];
                    const isSelected = selected?.learnerId === row.learnerId && selected.exerciseId === exercise.id;
                    return (
                      <td key={exercise.id} className={`dash-cell dash-${cell.state}`}>
                        <button
                          type="button"
                          aria-pressed={isSelected}
                          disabled={!cell.lastAttemptId}
                          onClick={() => void openAttempt(row.learnerId, exercise.id)}
                          title={cell.failedChecks.length ? `failing: ${cell.failedChecks.join(', ')}` : undefined}
                        >
                          <span className="dash-state">{STATE_LABEL[cell.state]}</span>
                          {cell.attempts > 0 && (
                            <span className="dash-meta">
                              {cell.attempts} run{cell.attempts === 1 ? '' : 's'}
                            </span>
                          )}
                          {cell.timeSpentMs > 0 && <span className="dash-meta">{minutes(cell.timeSpentMs)}</span>}
                          {(cell.hintSteps > 0 || cell.solutionShownAt) && (
                            <span className="dash-meta dash-help">
                              {[
                                cell.hintSteps ? `${cell.hintSteps} hint${cell.hintSteps === 1 ? '' : 's'}` : '',
                                cell.fixes ? `${cell.fixes} fix${cell.fixes === 1 ? '' : 'es'}` : '',
                                cell.solutionShownAt ? 'solution seen' : '',
                              ]
                                .filter(Boolean)
                                .join(' · ')}
                            </span>
                          )}
                        </button>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <FailureClasses dashboard={dashboard} />
      <RoomPredictions dashboard={dashboard} />

      {selected && (
        <section className="dash-attempt" aria-labelledby="attempt-title">
          <h2 id="attempt-title">
            {latest?.displayName ?? '…'}: {titles[selected.exerciseId]}
            {latest?.attempt && (
              <span className="muted">
                {' '}
                {/* A recorded attempt, not a live view: one that had not ended when it was opened says so. */}·{' '}
                {latest.attempt.status === 'running'
                  ? `latest attempt, in progress when opened (started ${new Date(latest.attempt.startedAt).toLocaleTimeString()})`
                  : `latest attempt ${latest.attempt.status}, recorded (started ${new Date(latest.attempt.startedAt).toLocaleTimeString()}, ended)`}
              </span>
            )}
          </h2>
          <div className="toolbar">
            <button type="button" onClick={() => setSelected(null)}>
              Close
            </button>
            <button
              type="button"
              onClick={() => {
                if (
                  !window.confirm(
                    `Reset ${latest?.displayName ?? 'this learner'}'s sandbox? Their runs, terminal and containers are stopped; their work is kept.`,
                  )
                )
                  return;
                void fetch(`${apiBase}/members/${encodeURIComponent(selected.learnerId)}/reset`, {
                  method: 'POST',
                  headers: { 'x-instructor-key': instructorKey },
                }).then((response) =>
                  setResetStatus(response.ok ? 'The sandbox was reset.' : `Reset failed (${response.status}).`),
                );
              }}
            >
              Reset this learner&apos;s sandbox
            </button>
            {resetStatus && (
              <span role="status" className="muted">
                {resetStatus}
              </span>
            )}
          </div>
          {latest === null ? (
            <p className="muted">Loading…</p>
          ) : !latest.attempt ? (
            <p className="muted">No attempt yet.</p>
          ) : (
            <>
              <div className="dash-files">
                {latest.attempt.files.map((file) => (
                  <details key={file.name} open={file.name === 'Dockerfile' || file.name === 'answer.json'}>
                    <summary>{file.name}</summary>
                    <pre>{file.content}</pre>
                  </details>
                ))}
              </div>
              <RunPanels
                events={latest.attempt.summary.timeline ?? []}
                checks={latest.attempt.checks}
                status={latest.attempt.status as CheckStatus}
                mode="recorded"
              />
            </>
          )}
        </section>
      )}
    </div>
  );
}
