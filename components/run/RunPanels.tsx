'use client';
// A run on one screen: a tab per scenario (✓/✕ once judged), its process lanes with a playhead, the
// process tree and the output at the playhead's moment, and the checks. Live, the playhead follows the
// clock; when a run fails, the panels open at the first failing check's evidence. The same view shows
// the terminal's containers (no build, no checks) and an instructor's recorded attempt (never live).
import { useMemo, useState } from 'react';
import type { CheckResult, CheckStatus } from '@/lib/checks/check-result';
import type { RecognisedMistake } from '@/lib/checks/mistakes';
import type { PredictionOutcome } from '@/lib/checks/predictions';
import { explainExit, notJudgedBecause, scenariosOf, type ScenarioView } from '@/lib/observe/run-view';
import type { TimelineEvent } from '@/lib/observe/timeline-event';
import { CheckList } from '../checks/CheckList';
import type { Hints } from '../checks/use-hints';
import { PredictionResults } from '../checks/PredictionResults';
import { ProcessLanes } from '../lanes/ProcessLanes';
import { useLiveClock } from '../lanes/use-live-clock';
import { LogPanel } from '../logs/LogPanel';
import { ProcessTree } from '../process-tree/ProcessTree';
import { TimelineList } from '../timeline/TimelineList';
import { buildSummary, firstFailure, momentAt, scenarioVerdict, type Moment } from './run-moments';

/** Props of RunPanels. */
export interface RunPanelsProps {
  events: TimelineEvent[];
  checks?: CheckResult[];
  /** The run's overall status, when known. */
  status?: CheckStatus;
  /** The exercise's known mistakes the result looks like. */
  mistakes?: RecognisedMistake[];
  /** run: a Run of the exercise; terminal: containers started from the terminal; recorded: a past attempt. */
  mode?: 'run' | 'terminal' | 'recorded';
  /** Where to go after a Pass (see CheckList). */
  next?: { href: string; title: string };
  /** The learner's predictions beside what the run showed (see PredictionResults). */
  predictions?: PredictionOutcome[];
  /** The learner's graded hints (see CheckList). */
  hints?: Hints;
}

function scenarioState(view: ScenarioView): string {
  if (view.status === 'running') return view.restartCount ? `running, restarted ${view.restartCount}×` : 'running';
  const exit = view.lastExit
    ? `exited ${explainExit(view.lastExit.code, view.lastExit.signal, view.lastExit.oomKilled)}`
    : 'ended';
  return view.restartCount ? `${exit}, restarted ${view.restartCount}×` : exit;
}

const VERDICT_GLYPHS = { pass: '✓', fail: '✕' } as const;

/** The run's scenarios, lanes, process tree, output and checks, linked by one moment. */
export function RunPanels({
  events,
  checks,
  status,
  mistakes,
  mode = 'run',
  next,
  predictions,
  hints,
}: RunPanelsProps) {
  const scenarios = useMemo(() => scenariosOf(events), [events]);
  const latestT = useMemo(() => events.reduce((max, event) => Math.max(max, event.t), 0), [events]);
  const ended =
    mode === 'recorded' ||
    (mode === 'run' ? events.some((event) => event.type === 'run-end') : scenarios.every((s) => s.status === 'done'));
  const now = useLiveClock(latestT, !ended && events.length > 0);

  // null: follow the run live (or show its end).
  const [moment, setMoment] = useState<Moment | null>(null);
  // null: follow the scenario of the latest event.
  const [picked, setPicked] = useState<string | null>(null);
  const latestScenario = useMemo(() => events.findLast((event) => event.scenario !== undefined)?.scenario, [events]);
  const scenario = picked ?? latestScenario ?? scenarios[0]?.id;

  // A failed run opens at its first failing check's evidence: the tree as it was when it failed. Adjusted
  // while rendering when the checks arrive (React's pattern for state that follows props).
  const [openedFor, setOpenedFor] = useState<CheckResult[] | undefined>(undefined);
  if (checks !== openedFor) {
    setOpenedFor(checks);
    const failure = status !== 'pass' ? firstFailure(checks, events) : undefined;
    if (failure) {
      setMoment({ t: failure.t, seq: failure.seq });
      if (failure.scenario) setPicked(failure.scenario);
    }
  }

  const select = (seq: number) => {
    const event = events.find((e) => e.seq === seq);
    if (!event) return;
    setMoment({ t: event.t, seq });
    if (event.scenario !== undefined) setPicked(event.scenario);
  };
  const scrub = (t: number | null) => setMoment(t === null ? null : momentAt(events, t));
  const build = mode === 'terminal' ? undefined : buildSummary(events);

  return (
    <div className="rp-host">
      <div className={`rp rp-${mode}`}>
        <div className="rp-top">
          {build && <p className="rp-build muted">{build}</p>}
          {scenarios.length > 0 && (
            <div className="rp-tabs" role="group" aria-label={mode === 'terminal' ? 'Container' : 'Scenario'}>
              {scenarios.map((view) => {
                const verdict = mode === 'terminal' ? undefined : scenarioVerdict(checks, view.id);
                return (
                  <button
                    type="button"
                    key={view.id}
                    className={`rp-tab rp-tab-${view.status}${verdict ? ` rp-tab-${verdict}` : ''}`}
                    aria-pressed={view.id === scenario}
                    onClick={() => {
                      setPicked(view.id);
                      setMoment(null);
                    }}
                    title={view.description}
                  >
                    <span className="rp-tab-name">
                      {verdict && (
                        <span className="rp-tab-verdict">
                          <span aria-hidden="true">{VERDICT_GLYPHS[verdict]} </span>
                          <span className="visually-hidden">{verdict === 'pass' ? 'passed:' : 'failed:'} </span>
                        </span>
                      )}
                      {view.id}
                    </span>
                    <span className="rp-tab-state">{scenarioState(view)}</span>
                  </button>
                );
              })}
              {picked !== null && !ended && (
                <button type="button" className="rp-follow" onClick={() => setPicked(null)}>
                  Follow the latest scenario
                </button>
              )}
            </div>
          )}
        </div>

        {scenario !== undefined && (
          <div className="rp-lanes">
            <ProcessLanes
              key={scenario}
              events={events}
              scenario={scenario}
              cursor={moment?.t ?? null}
              now={now}
              onCursor={scrub}
            />
          </div>
        )}

        <div className="rp-tree">
          {/* Keyed by scenario: PIDs of another container mean other processes, so folded branches reset. */}
          <ProcessTree key={scenario} events={events} scenario={scenario} seq={moment?.seq} live={now !== undefined} />
        </div>

        {mode !== 'terminal' && (
          <div className="rp-checks">
            <CheckList
              checks={checks ?? []}
              status={status}
              onSelectEvidence={select}
              mistakes={mistakes}
              next={next}
              momentSeq={moment?.seq}
              hints={hints}
              problem={notJudgedBecause(events)}
            />
            {predictions && (
              <PredictionResults predictions={predictions} onSelectEvidence={select} momentSeq={moment?.seq} />
            )}
          </div>
        )}

        <div className="rp-logs">
          <LogPanel events={events} scenario={scenario} selectedSeq={moment?.seq} />
        </div>

        <details className="rp-events">
          <summary>Every event of the {mode === 'terminal' ? 'terminal' : 'run'}</summary>
          <TimelineList events={events} selectedSeq={moment?.seq} onSelect={select} />
        </details>
      </div>
    </div>
  );
}
