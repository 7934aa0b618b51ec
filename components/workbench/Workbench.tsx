'use client';
// The exercise workbench: instructions, a tab per file, Run (Ctrl/Cmd+Enter), Stop, Reset, and the
// live panels fed by the run's event stream.
import dynamic from 'next/dynamic';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { EditorMarker } from '@/components/editor/CodeEditor';
import { CheckList } from '@/components/checks/CheckList';
import { RunPanels } from '@/components/run/RunPanels';
import type { CheckResult, CheckStatus } from '@/lib/checks/check-result';
import type { TimelineEvent } from '@/lib/observe/timeline-event';
import { useTerminalActivity } from '@/components/terminal/use-terminal-activity';
import { IncidentBar } from './IncidentBar';
import { useIncident } from './use-incident';
import { queueLabel, useRunStream } from './use-run-stream';

const CodeEditor = dynamic(() => import('@/components/editor/CodeEditor'), {
  ssr: false,
  loading: () => <div className="editor-loading">Loading the editor…</div>,
});

const Terminal = dynamic(() => import('@/components/terminal/Terminal'), {
  ssr: false,
  loading: () => <div className="terminal-loading">Loading the terminal…</div>,
});

/** Whether this tab had the terminal open (a reload opens it again, on the same shell). */
const TERMINAL_OPEN_KEY = 'lab:terminal-open';

interface File {
  name: string;
  content: string;
}

const draftKey = (exerciseId: string) => `lab:draft:${exerciseId}`;

/** Rejections and a failed build step, as markers on the lines they name. */
function markersFrom(events: TimelineEvent[]): Record<string, EditorMarker[]> {
  const markers: Record<string, EditorMarker[]> = {};
  for (const event of events) {
    if (event.type === 'rejected' && event.line) (markers[event.file] ??= []).push({ line: event.line, message: event.message });
    if (event.type === 'build-end' && !event.ok && event.line) (markers[event.file ?? 'Dockerfile'] ??= []).push({ line: event.line, message: event.error ?? 'this step failed' });
  }
  return markers;
}

export function Workbench(props: {
  exerciseId: string;
  title: string;
  instructionsHtml: string;
  starter: File[];
  scenarios: { id: string; description: string }[];
  /** diagnosis: the learner investigates an incident the lab stages and checks an answer; nothing is built. */
  kind?: 'build' | 'diagnosis';
}) {
  const { exerciseId, starter } = props;
  const [files, setFiles] = useState<File[]>(starter);
  const [active, setActive] = useState(starter[0]?.name ?? 'Dockerfile');
  const [loaded, setLoaded] = useState(false);
  const run = useRunStream();
  const diagnosis = props.kind === 'diagnosis';
  const incident = useIncident(exerciseId, diagnosis, run.reset);

  // Drafts survive a reload: saved on the server as the learner types (and in this browser, for when
  // the server cannot be reached). The server's copy wins: it is the one other browsers see too.
  useEffect(() => {
    let cancelled = false;
    const fromBrowser = (): File[] | null => {
      try {
        return JSON.parse(window.localStorage.getItem(draftKey(exerciseId)) ?? 'null') as File[] | null;
      } catch {
        return null; // a broken draft is ignored; the starter is shown
      }
    };
    fetch(`/api/drafts?exerciseId=${encodeURIComponent(exerciseId)}`)
      .then((response) => (response.ok ? (response.json() as Promise<{ files: File[] | null }>) : { files: null }))
      .catch(() => ({ files: null }))
      .then(({ files: fromServer }) => {
        if (cancelled) return;
        const draft = fromServer ?? fromBrowser();
        if (draft) setFiles(starter.map((file) => draft.find((d) => d.name === file.name) ?? file));
        setLoaded(true);
      });
    return () => {
      cancelled = true;
    };
  }, [exerciseId, starter]);

  // A run in progress (another tab) or the last result (before a reload) is shown again.
  const { attach } = run;
  useEffect(() => {
    let cancelled = false;
    fetch(`/api/runs?exerciseId=${encodeURIComponent(exerciseId)}`)
      .then((response) => (response.ok ? response.json() : { runs: [] }))
      .then((body: { runs: { runId: string; status: string }[] }) => {
        const latest = body.runs[0];
        if (!cancelled && latest) attach(latest.runId, latest.status !== 'running');
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [exerciseId, attach]);

  // The terminal starts the learner's workstation, so it opens only when asked for.
  const [terminalOpen, setTerminalOpen] = useState(false);
  useEffect(() => setTerminalOpen(window.sessionStorage.getItem(TERMINAL_OPEN_KEY) === '1'), []);
  const toggleTerminal = () => {
    const next = !terminalOpen;
    window.sessionStorage.setItem(TERMINAL_OPEN_KEY, next ? '1' : '0');
    setTerminalOpen(next);
  };

  // What the learner runs from the terminal, observed like a run; the panels show it or the last Run.
  const terminalEvents = useTerminalActivity(terminalOpen);
  const [panelSource, setPanelSource] = useState<'run' | 'terminal'>('run');
  const lastTerminalEvent = terminalEvents.at(-1);
  useEffect(() => {
    if (lastTerminalEvent?.type === 'scenario-start') setPanelSource('terminal');
  }, [lastTerminalEvent]);
  useEffect(() => {
    if (run.phase === 'starting') setPanelSource('run');
  }, [run.phase]);
  const terminalContainers = useMemo(() => new Set(terminalEvents.flatMap((event) => (event.type === 'scenario-start' ? [event.scenario] : []))).size, [terminalEvents]);
  const showTerminal = panelSource === 'terminal' && (terminalOpen || terminalEvents.length > 0);

  const saveTimer = useRef<number | undefined>(undefined);
  const [saved, setSaved] = useState<'saved' | 'saving' | 'offline' | null>(null);
  const edit = (name: string, content: string) => {
    setFiles((current) => {
      const next = current.map((file) => (file.name === name ? { ...file, content } : file));
      window.localStorage.setItem(draftKey(exerciseId), JSON.stringify(next));
      window.clearTimeout(saveTimer.current);
      setSaved('saving');
      saveTimer.current = window.setTimeout(() => {
        fetch(`/api/drafts?exerciseId=${encodeURIComponent(exerciseId)}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ files: next }),
        })
          .then((response) => setSaved(response.ok ? 'saved' : 'offline'))
          .catch(() => setSaved('offline'));
      }, 400);
      return next;
    });
  };

  const [solution, setSolution] = useState<File[] | null>(null);
  const showSolution = async () => {
    if (!window.confirm('Show the solution? Trying first teaches more; the lab notes that you looked.')) return;
    const response = await fetch(`/api/solution?exerciseId=${encodeURIComponent(exerciseId)}`).catch(() => null);
    if (response?.ok) setSolution(((await response.json()) as { files: File[] }).files);
  };

  const reset = () => {
    if (!window.confirm('Replace your files with the starter files? Your changes will be lost.')) return;
    window.localStorage.removeItem(draftKey(exerciseId));
    setFiles(starter);
    void fetch(`/api/drafts?exerciseId=${encodeURIComponent(exerciseId)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ files: starter }),
    }).catch(() => undefined);
  };

  const start = useCallback(() => {
    if (!run.running) void run.start(exerciseId, files);
  }, [run, exerciseId, files]);

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
    <div className={`workbench${terminalOpen ? ' with-terminal' : ''}`}>
      <section className="instructions" aria-labelledby="exercise-title">
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
          {loaded && current && (
            <CodeEditor name={current.name} value={current.content} onChange={(value) => edit(current.name, value)} onRun={start} markers={markers[current.name] ?? []} />
          )}
        </div>
        <div className="toolbar">
          <button className="primary" onClick={start} disabled={run.running || (diagnosis && incident.phase !== 'ready')} aria-keyshortcuts="Control+Enter Meta+Enter">
            {diagnosis ? (run.running ? 'Checking…' : 'Check answer') : run.queue ? 'Queued…' : run.running ? 'Running…' : 'Run'} <kbd>Ctrl+Enter</kbd>
          </button>
          <button onClick={() => void run.stop()} disabled={!run.running}>
            Stop
          </button>
          <button onClick={reset} disabled={run.running}>
            Reset to starter
          </button>
          <button onClick={() => void showSolution()}>Show solution</button>
          <button onClick={toggleTerminal} aria-expanded={terminalOpen} aria-controls="terminal-section">
            {terminalOpen ? 'Hide terminal' : 'Terminal'}
          </button>
          <span className="muted draft-state">{saved === 'saving' ? 'Saving…' : saved === 'saved' ? 'Draft saved' : saved === 'offline' ? 'Draft kept in this browser only' : ''}</span>
          <span className="muted status-line" role="status" aria-live="polite">
            {run.error ? <span className="error-text">{run.error}</span> : run.queue ? queueLabel(run.queue) : run.phase === 'building' ? `Building… ${buildLines} line(s) of output` : run.phase === 'running' ? 'Running your container…' : run.status ? `Result: ${run.status}` : ''}
          </span>
        </div>
        {diagnosis && <IncidentBar incident={incident} busy={run.running} />}
      </section>

      {terminalOpen && (
        <section id="terminal-section" className="terminal-section" aria-label="Terminal">
          <Terminal exerciseId={exerciseId} />
        </section>
      )}

      {solution && (
        <section className="solution" aria-labelledby="solution-title">
          <h2 id="solution-title">Solution</h2>
          {solution.map((file) => (
            <details key={file.name} open={file.name === 'Dockerfile'}>
              <summary>{file.name}</summary>
              <pre className="code">{file.content}</pre>
            </details>
          ))}
        </section>
      )}

      <section className="panels-pane" aria-label="What happened">
        {(terminalOpen || terminalEvents.length > 0) && (
          <div className="panel-source" role="group" aria-label="Show">
            <button type="button" aria-pressed={!showTerminal} onClick={() => setPanelSource('run')}>
              {diagnosis ? 'Answer' : 'Run'}
            </button>
            <button type="button" aria-pressed={showTerminal} onClick={() => setPanelSource('terminal')}>
              Terminal containers{terminalContainers ? ` (${terminalContainers})` : ''}
            </button>
          </div>
        )}
        {showTerminal ? (
          terminalEvents.length ? (
            <RunPanels events={terminalEvents} />
          ) : (
            <p className="muted empty-panels">Containers you start from the terminal (docker run …) appear here with their processes, output and exits as they happen.</p>
          )
        ) : diagnosis ? (
          run.checks ? (
            <CheckList checks={run.checks as CheckResult[]} status={run.status as CheckStatus | undefined} mistakes={run.mistakes} />
          ) : (
            <p className="muted empty-panels">Investigate the stopped container in the terminal, write what you found in answer.json, and press Check answer.</p>
          )
        ) : run.events.length ? (
          <RunPanels events={run.events} checks={run.checks as CheckResult[] | undefined} status={run.status as CheckStatus | undefined} mistakes={run.mistakes} />
        ) : (
          <p className="muted empty-panels">Press Run: the lab builds your image, starts the container, and shows its processes and lifecycle here as they happen.</p>
        )}
      </section>
    </div>
  );
}
