'use client';
// The exercise workbench: instructions, a tab per file, Run (Ctrl/Cmd+Enter), Stop, Reset, and the
// live panels fed by the run's event stream.
import dynamic from 'next/dynamic';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useHints } from '@/components/checks/use-hints';
import { FileEditor } from '@/components/editor/FileEditor';
import { IncidentBar } from './IncidentBar';
import { PredictPanel, type PredictionQuestion } from './PredictPanel';
import { markersFrom } from './markers-from';
import { SolutionFiles } from './SolutionFiles';
import { useDrafts, type DraftFile } from './use-drafts';
import { useIncident } from './use-incident';
import { useLatestRun } from './use-latest-run';
import { queueLabel, useRunStream } from './use-run-stream';
import { useTerminalPanel } from './use-terminal-panel';
import { useStoredFlag } from '@/components/ui/use-stored-flag';
import { WorkbenchPanels } from './WorkbenchPanels';

/** Why the solution cannot be shown yet. */
const SOLUTION_NOTES = {
  'after-hints':
    'The solution comes after the hints: open the fix of a failed check first (or it opens by itself after 3 failed runs).',
  held: 'Your instructor is holding the solutions back for now.',
} as const;

const Terminal = dynamic(() => import('@/components/terminal/Terminal'), {
  ssr: false,
  loading: () => <div className="terminal-loading">Loading the terminal…</div>,
});

export function Workbench(props: {
  exerciseId: string;
  title: string;
  instructionsHtml: string;
  starter: DraftFile[];
  /** The learner's saved draft as read while rendering the page (null: none); read here when absent. */
  savedDraft?: DraftFile[] | null;
  scenarios: { id: string; description: string }[];
  /** diagnosis: the learner investigates an incident the lab stages and checks an answer; nothing is built. */
  kind?: 'build' | 'diagnosis';
  /** Where a learner who passed goes next: the next exercise, or the course overview at the end. */
  next?: { href: string; title: string };
  /** Questions the learner may answer before a run (see PredictPanel). */
  predictions?: PredictionQuestion[];
}) {
  const { exerciseId, starter } = props;
  const { files, loaded, saved, revision, edit, resetToStarter } = useDrafts(exerciseId, starter, props.savedDraft);
  const [active, setActive] = useState(starter[0]?.name ?? 'Dockerfile');
  const run = useRunStream();
  const diagnosis = props.kind === 'diagnosis';
  const incident = useIncident(exerciseId, diagnosis, run.reset);
  const [picks, setPicks] = useState<Record<string, string>>({});

  // A run in progress (another tab) or the last result (before a reload) is shown again.
  useLatestRun(exerciseId, run);

  const terminal = useTerminalPanel(run.phase);
  const [wideResults, toggleWideResults] = useStoredFlag('lab:wide-results');

  const hints = useHints(exerciseId, run.runId, run.checks);
  const [solution, setSolution] = useState<DraftFile[] | null>(null);
  // Why the solution did not open: shown while it still applies (a release or a fix seen clears it).
  const [solutionNote, setSolutionNote] = useState<{ access: string; text: string } | null>(null);
  const solutionAccess = hints.view?.solution ?? 'after-hints';
  const showSolution = async () => {
    if (solutionAccess !== 'open') {
      setSolutionNote({ access: solutionAccess, text: SOLUTION_NOTES[solutionAccess] });
      return;
    }
    if (!window.confirm('Show the solution? Trying first teaches more; the lab notes that you looked.')) return;
    const response = await fetch(`/api/solution?exerciseId=${encodeURIComponent(exerciseId)}`).catch(() => null);
    if (response?.ok) {
      setSolution(((await response.json()) as { files: DraftFile[] }).files);
      setSolutionNote(null);
    } else
      setSolutionNote({
        access: solutionAccess,
        text:
          ((await response?.json().catch(() => ({}))) as { error?: string } | undefined)?.error ??
          'The lab could not fetch the solution; try again.',
      });
  };

  const reset = () => {
    if (!window.confirm('Replace your files with the starter files? Your changes will be lost.')) return;
    resetToStarter();
  };

  const start = useCallback(() => {
    if (!run.running) void run.start(exerciseId, files, picks);
  }, [run, exerciseId, files, picks]);

  // Ctrl/Cmd+Enter runs from anywhere on the page, not only inside the editor.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
        event.preventDefault();
        start();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [start]);

  const markers = useMemo(() => markersFrom(run.events), [run.events]);
  const current = files.find((file) => file.name === active) ?? files[0];
  const buildLines = run.events.filter((event) => event.type === 'build-output').length;

  return (
    <div className={`workbench${terminal.open ? ' with-terminal' : ''}${wideResults ? ' wide-results' : ''}`}>
      {/* Focusable: the instructions scroll on their own beside the editor, by keyboard too. */}
      <section className="instructions" aria-labelledby="exercise-title" tabIndex={0}>
        <h1 id="exercise-title">{props.title}</h1>
        <div className="prose" dangerouslySetInnerHTML={{ __html: props.instructionsHtml }} />
        <details hidden={props.scenarios.length === 0}>
          <summary>What the lab will do</summary>
          <ul>
            {props.scenarios.map((scenario) => (
              <li key={scenario.id}>
                <code>{scenario.id}</code>: {scenario.description}
              </li>
            ))}
          </ul>
        </details>
      </section>

      <section className="editor-pane" aria-label="Files">
        <div className="tabs" role="tablist" aria-label="Files of this exercise">
          {files.map((file) => (
            <button
              key={file.name}
              role="tab"
              aria-selected={file.name === active}
              className={`tab${file.name === active ? ' active' : ''}${markers[file.name]?.length ? ' has-error' : ''}`}
              onClick={() => setActive(file.name)}
            >
              {file.name}
            </button>
          ))}
        </div>
        <div className="editor-box">
          <FileEditor
            files={files}
            active={active}
            loaded={loaded}
            revision={revision}
            onEdit={edit}
            onRun={start}
            markers={markers[current?.name ?? active] ?? []}
          />
        </div>
        <div className="toolbar">
          <button
            className="primary"
            onClick={start}
            disabled={run.running || (diagnosis && incident.phase !== 'ready')}
            aria-keyshortcuts="Control+Enter Meta+Enter"
          >
            {diagnosis
              ? run.running
                ? 'Checking…'
                : 'Check answer'
              : run.queue
                ? 'Queued…'
                : run.running
                  ? 'Running…'
                  : 'Run'}{' '}
            <kbd>Ctrl+Enter</kbd>
          </button>
          <button onClick={() => void run.stop()} disabled={!run.running}>
            Stop
          </button>
          <button onClick={reset} disabled={run.running}>
            Reset to starter
          </button>
          <button
            onClick={() => void showSolution()}
            data-access={solutionAccess}
            aria-describedby="solution-note"
            className={solutionAccess !== 'open' ? 'soft-disabled' : undefined}
          >
            Show solution
          </button>
          <button onClick={terminal.toggle} aria-expanded={terminal.open} aria-controls="terminal-section">
            {terminal.open ? 'Hide terminal' : 'Terminal'}
          </button>
          <button className="wide-results-toggle" onClick={toggleWideResults} aria-pressed={wideResults}>
            Wide results
          </button>
          <span className="muted draft-state">
            {saved === 'saving'
              ? 'Saving…'
              : saved === 'saved'
                ? 'Draft saved'
                : saved === 'offline'
                  ? 'Draft kept in this browser only'
                  : ''}
          </span>
          <span className="muted status-line" role="status" aria-live="polite">
            {run.error ? (
              <span className="error-text">{run.error}</span>
            ) : run.queue ? (
              queueLabel(run.queue)
            ) : run.phase === 'building' ? (
              `Building… ${buildLines} line(s) of output`
            ) : run.phase === 'running' ? (
              'Running your container…'
            ) : run.status ? (
              `Result: ${run.status}`
            ) : (
              ''
            )}
          </span>
        </div>
        <p id="solution-note" className="muted solution-note" role="status" aria-live="polite">
          {solutionNote?.access === solutionAccess ? solutionNote.text : ''}
        </p>
        <PredictPanel questions={props.predictions ?? []} picks={picks} onPick={setPicks} disabled={run.running} />
        {diagnosis && <IncidentBar incident={incident} busy={run.running} />}
      </section>

      {terminal.open && (
        <section id="terminal-section" className="terminal-section" aria-label="Terminal">
          <Terminal exerciseId={exerciseId} />
        </section>
      )}

      {solution && <SolutionFiles files={solution} />}

      <WorkbenchPanels run={run} terminal={terminal} diagnosis={diagnosis} next={props.next} hints={hints} />
    </div>
  );
}
