'use client';
// What happened, beside the editor: the panels of the last Run (or the checks of an answer), or those of
// the containers started from the terminal, with a switch between them once the terminal is in use.
import { CheckList } from '@/components/checks/CheckList';
import { PredictionResults } from '@/components/checks/PredictionResults';
import { RunPanels } from '@/components/run/RunPanels';
import { notJudgedBecause } from '@/lib/observe/run-view';
import type { Hints } from '@/components/checks/use-hints';
import type { TerminalPanel } from './use-terminal-panel';
import type { RunStream } from './use-run-stream';

/** The panels pane of the workbench. */
export function WorkbenchPanels({
  run,
  terminal,
  diagnosis,
  next,
  hints,
}: {
  run: RunStream;
  terminal: TerminalPanel;
  diagnosis: boolean;
  /** Where to go after a Pass (see CheckList). */
  next?: { href: string; title: string };
  /** The learner's graded hints (see CheckList). */
  hints?: Hints;
}) {
  return (
    <section className="panels-pane" aria-label="What happened">
      {(terminal.open || terminal.events.length > 0) && (
        <div className="panel-source" role="group" aria-label="Show">
          <button type="button" aria-pressed={!terminal.showing} onClick={() => terminal.show('run')}>
            {diagnosis ? 'Answer' : 'Run'}
          </button>
          <button type="button" aria-pressed={terminal.showing} onClick={() => terminal.show('terminal')}>
            Terminal containers{terminal.containers ? ` (${terminal.containers})` : ''}
          </button>
        </div>
      )}
      {terminal.showing ? (
        terminal.events.length ? (
          <RunPanels events={terminal.events} mode="terminal" />
        ) : (
          <p className="muted empty-panels">
            Containers you start from the terminal (docker run …) appear here with their processes, output and exits as
            they happen.
          </p>
        )
      ) : diagnosis ? (
        run.checks ? (
          <>
            <CheckList
              checks={run.checks}
              status={run.status}
              mistakes={run.mistakes}
              next={next}
              hints={hints}
              problem={notJudgedBecause(run.events)}
            />
            {run.predictions && <PredictionResults predictions={run.predictions} />}
          </>
        ) : (
          <p className="muted empty-panels">
            Investigate the stopped container in the terminal, write what you found in answer.json, and press Check
            answer.
          </p>
        )
      ) : run.events.length ? (
        <RunPanels
          events={run.events}
          checks={run.checks}
          status={run.status}
          mistakes={run.mistakes}
          next={next}
          predictions={run.predictions}
          hints={hints}
        />
      ) : (
        <p className="muted empty-panels">
          Press Run: the lab builds your image, starts the container, and shows its processes and lifecycle here as they
          happen.
        </p>
      )}
    </section>
  );
}
