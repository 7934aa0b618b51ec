'use client';
// One line of the process tree: PID, state, command line, and the notes that teach something (PID 1,
// zombies, orphans re-parented to PID 1, docker exec, new and just-exited processes). Every mark is a
// word, not only a colour.
import type { ProcessInfo } from '@/lib/observe/timeline-event';

const STATE_WORDS: Record<string, string> = {
  R: 'running',
  S: 'sleeping',
  D: 'disk',
  T: 'stopped',
  t: 'stopped',
  Z: 'zombie',
  I: 'idle',
  X: 'dead',
};

/** What the tree knows about a process beyond its own fields. */
export interface RowMarks {
  /** Spawned within the last ~1.5 s. */
  isNew: boolean;
  /** Exited within the last ~1.5 s; shown greyed out. */
  gone: boolean;
  /** Its parent is PID 1 now, but it was started by another process. */
  reparented: boolean;
  /** How it ended, in words, when it is gone and the lab knows ("killed by SIGKILL (exit code 137)"). */
  ending?: string;
}

/** Props of ProcessRow. */
export interface ProcessRowProps {
  process: ProcessInfo;
  marks: RowMarks;
  /** Element id, so the tree item can be labelled by this row alone (not by its children). */
  id: string;
  /** Undefined when the process has no children to show or hide. */
  expanded?: boolean;
  onToggle?: () => void;
}

/** One process of the tree, with its state and notes. */
export function ProcessRow({ process, marks, id, expanded, onToggle }: ProcessRowProps) {
  const zombie = process.state === 'Z';
  const word = marks.gone ? (marks.ending ?? 'exited') : (STATE_WORDS[process.state] ?? 'unknown');
  // A process that just exited says so in its state badge (greyed and struck through by the tree).
  const letter = marks.gone ? '✕' : process.state;
  const notes: { text: string; kind: string }[] = [];
  if (process.pid === 1) notes.push({ text: 'PID 1 — the container lives as long as this process', kind: 'pid1' });
  if (marks.isNew) notes.push({ text: 'new', kind: 'new' });
  if (zombie) notes.push({ text: 'zombie: exited, not reaped by its parent', kind: 'zombie' });
  if (marks.reparented) notes.push({ text: 're-parented to PID 1', kind: 'orphan' });
  // ppid 0 means the parent is outside the container: for anything but PID 1, that is `docker exec`.
  if (process.ppid === 0 && process.pid !== 1) notes.push({ text: 'docker exec', kind: 'exec' });
  const tooltip = `${process.command}\nPID ${process.pid}, parent ${process.ppid}${process.hostPid ? `, host PID ${process.hostPid}` : ''}`;
  return (
    <div className="pt-row" id={id}>
      {/* Mouse affordance only: the tree item itself handles the keyboard (arrows, Enter). */}
      <span className="pt-toggle" aria-hidden="true" onClick={onToggle}>
        {expanded === undefined ? '' : expanded ? '▾' : '▸'}
      </span>
      <span className="pt-pid">
        <span className="visually-hidden">PID </span>
        {process.pid}
      </span>
      <span className={`pt-state pt-state-${marks.gone ? 'gone' : process.state}`}>
        <span aria-hidden="true">{letter}</span> {word}
      </span>
      <code className="pt-cmd" title={tooltip}>
        {process.command}
      </code>
      {notes.length > 0 && (
        <span className="pt-notes">
          {notes.map((note) => (
            <span key={note.kind} className={`pt-note pt-note-${note.kind}`}>
              {note.text}
            </span>
          ))}
        </span>
      )}
    </div>
  );
}
