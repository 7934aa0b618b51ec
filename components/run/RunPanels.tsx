'use client';
// A run on one screen: process tree and checks side by side, the timeline across, the output below.
// Selecting a moment (a timeline marker, a line of the list, a check's evidence) shows the process
// tree as it was then; "Back to live" returns to the latest state.
import { useMemo, useState } from 'react';
import type { CheckResult, CheckStatus } from '@/lib/checks/check-result';
import type { RecognisedMistake } from '@/lib/checks/mistakes';
import { explainExit, formatSeconds, scenariosOf, type ScenarioView } from '@/lib/observe/run-view';
import type { TimelineEvent } from '@/lib/observe/timeline-event';
import { CheckList } from '../checks/CheckList';
import { LogPanel } from '../logs/LogPanel';
import { ProcessTree } from '../process-tree/ProcessTree';
import { Timeline } from '../timeline/Timeline';

/** Props of RunPanels. */
export interface RunPanelsProps {
  events: TimelineEvent[];
  checks?: CheckResult[];
  /** The run's overall status, when known. */
  status?: CheckStatus;
  /** The exercise's known mistakes the result looks like. */
  mistakes?: RecognisedMistake[];
  /** Where to go after a Pass (see CheckList). */
  next?: { href: string; title: string };
}

function scenarioState(view: ScenarioView): string {
  if (view.status === 'running') return view.restartCount ? `running, restarted ${view.restartCount}×` : 'running';
  const exit = view.lastExit
    ? `exited ${explainExit(view.lastExit.code, view.lastExit.signal, view.lastExit.oomKilled)}`
    : 'ended';
  return view.restartCount ? `${exit}, restarted ${view.restartCount}×` : exit;
}

/** The run's process tree, timeline, output and checks, linked by a selected moment. */
export function RunPanels({ events, checks, status, mistakes, next }: RunPanelsProps) {
  // null: follow the run live.
  const [selectedSeq, setSelectedSeq] = useState<number | null>(null);
  // null: follow the scenario of the latest event.
  const [pickedScenario, setPickedScenario] = useState<string | null>(null);
  const scenarios = useMemo(() => scenariosOf(events), [events]);
  const latestScenario = useMemo(() => events.findLast((event) => event.scenario !== undefined)?.scenario, [events]);
  const scenario = pickedScenario ?? latestScenario ?? scenarios[0]?.id;
  const selected = selectedSeq === null ? undefined : events.find((event) => event.seq === selectedSeq);

  // Selecting an event of a scenario also shows that scenario: its tree is what the event is about.
  const select = (seq: number) => {
    setSelectedSeq(seq);
    const event = events.find((e) => e.seq === seq);
    if (event?.scenario !== undefined) setPickedScenario(event.scenario);
  };

  return (
    <div className="rp-host">
      <div className="rp">
        {scenarios.length > 1 && (
          <div className="rp-tabs" role="group" aria-label="Scenario">
            {scenarios.map((view) => (
              <button
                type="button"
                key={view.id}
                className={`rp-tab rp-tab-${view.status}`}
                aria-pressed={view.id === scenario}
                onClick={() => setPickedScenario(view.id)}
                title={view.description}
              >
                <span className="rp-tab-name">{view.id}</span>
                <span className="rp-tab-state">{scenarioState(view)}</span>
              </button>
            ))}
            {pickedScenario !== null && (
              <button type="button" className="rp-follow" onClick={() => setPickedScenario(null)}>
                Follow the latest scenario
              </button>
            )}
          </div>
        )}

        <div className="rp-tree">
          <div className="rp-when">
            <span role="status" className={selected ? undefined : 'muted'}>
              {selected ? `Showing event #${selected.seq} at ${formatSeconds(selected.t)}` : 'Live: the latest state'}
            </span>
            {selected && (
              <button type="button" className="rp-live" onClick={() => setSelectedSeq(null)}>
                Back to live
              </button>
            )}
          </div>
          {/* Keyed by scenario: PIDs of another container mean other processes, so folded branches reset. */}
          <ProcessTree key={scenario} events={events} scenario={scenario} seq={selectedSeq ?? undefined} />
        </div>

        <div className="rp-checks">
          <CheckList checks={checks ?? []} status={status} onSelectEvidence={select} mistakes={mistakes} next={next} />
        </div>

        <div className="rp-timeline">
          <Timeline events={events} selectedSeq={selectedSeq ?? undefined} onSelect={select} />
        </div>

        <div className="rp-logs">
          <LogPanel events={events} scenario={scenario} selectedSeq={selectedSeq ?? undefined} />
        </div>
      </div>
    </div>
  );
}
