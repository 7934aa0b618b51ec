'use client';
// The container's process tree at one point of the run (live by default). It is an ARIA tree: one tab
// stop, arrows to move, Right/Left to open and close, so a long tree costs keyboard users one Tab.
import { useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { endingLabel, scenarioLanes } from '@/lib/observe/lanes';
import { lastProcesses, latestEndings } from '@/lib/observe/last-state';
import { buildTree, type ProcessNode } from '@/lib/observe/process-tree';
import {
  explainExit,
  formatSeconds,
  processesAt,
  RECENT_MS,
  reparentedPids,
  scenariosOf,
} from '@/lib/observe/run-view';
import type { TimelineEvent } from '@/lib/observe/timeline-event';
import { ProcessRow } from './ProcessRow';
import { useRunClock } from './useRunClock';

/** Props of ProcessTree. */
export interface ProcessTreeProps {
  events: TimelineEvent[];
  /** The scenario to show; the latest scenario when absent. */
  scenario?: string;
  /** Show the tree as of this event; live (latest) when absent. */
  seq?: number;
  /** The run is still going (the latest state is "live", not "the end"). */
  live?: boolean;
}

interface Visible {
  pid: number;
  parent?: number;
  hasChildren: boolean;
}

function sortTree(nodes: ProcessNode[]): ProcessNode[] {
  return nodes.sort((a, b) => a.pid - b.pid).map((node) => ({ ...node, children: sortTree(node.children) }));
}

// The items a keyboard user can reach, in display order: collapsed subtrees are skipped.
function flatten(nodes: ProcessNode[], collapsed: Set<number>, parent?: number, out: Visible[] = []): Visible[] {
  for (const node of nodes) {
    out.push({ pid: node.pid, parent, hasChildren: node.children.length > 0 });
    if (!collapsed.has(node.pid)) flatten(node.children, collapsed, node.pid, out);
  }
  return out;
}

/** The process tree of a scenario, live or at a past event. */
export function ProcessTree({ events, scenario: wanted, seq, live = true }: ProcessTreeProps) {
  const idPrefix = useId();
  const rootRef = useRef<HTMLUListElement>(null);
  const [collapsed, setCollapsed] = useState<Set<number>>(() => new Set());
  const [focusPid, setFocusPid] = useState<number | null>(null);
  const latestT = events.reduce((max, event) => Math.max(max, event.t), 0);
  const now = useRunClock(latestT, seq === undefined, RECENT_MS);

  const scenario = wanted ?? scenariosOf(events).at(-1)?.id;
  const view = useMemo(() => processesAt(events, scenario, seq, { now }), [events, scenario, seq, now]);
  const reparented = useMemo(() => reparentedPids(events, scenario, seq), [events, scenario, seq]);
  // The exit as of the point shown, not the scenario's final one.
  const lastExit = useMemo(
    () => scenariosOf(events.filter((event) => event.seq <= view.seq)).find((s) => s.id === scenario)?.lastExit,
    [events, view.seq, scenario],
  );
  // How each process of the latest incarnation ended, as of the point shown.
  const endings = useMemo(
    () =>
      scenario === undefined
        ? new Map()
        : latestEndings(
            scenarioLanes(
              events.filter((event) => event.seq <= view.seq),
              scenario,
            ),
          ),
    [events, scenario, view.seq],
  );
  // Once the container has exited, the tree keeps its processes as last seen, each with how it ended.
  const ended = useMemo(
    () => (view.processes.length === 0 && !view.running && lastExit ? lastProcesses(events, scenario, view.seq) : []),
    [events, scenario, view, lastExit],
  );
  // Just-exited processes stay in the tree (greyed) under their old parent, or as roots if it is gone too.
  const tree = useMemo(
    () => sortTree(buildTree(ended.length ? ended : [...view.processes, ...view.exited.values()])),
    [view, ended],
  );
  const visible = useMemo(() => flatten(tree, collapsed), [tree, collapsed]);
  const tabPid = visible.some((item) => item.pid === focusPid) ? focusPid : visible[0]?.pid;

  const toggle = (pid: number) =>
    setCollapsed((current) => {
      const next = new Set(current);
      if (!next.delete(pid)) next.add(pid);
      return next;
    });

  const moveTo = (pid: number | undefined) => {
    if (pid === undefined) return;
    setFocusPid(pid);
    rootRef.current?.querySelector<HTMLElement>(`[data-pid="${pid}"]`)?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const item = (event.target as HTMLElement).closest<HTMLElement>('[role="treeitem"]');
    const index = visible.findIndex((entry) => String(entry.pid) === item?.dataset.pid);
    if (index < 0) return;
    const current = visible[index];
    const open = current.hasChildren && !collapsed.has(current.pid);
    switch (event.key) {
      case 'ArrowDown':
        moveTo(visible[index + 1]?.pid);
        break;
      case 'ArrowUp':
        moveTo(visible[index - 1]?.pid);
        break;
      case 'Home':
        moveTo(visible[0]?.pid);
        break;
      case 'End':
        moveTo(visible.at(-1)?.pid);
        break;
      case 'ArrowRight':
        if (current.hasChildren && !open) toggle(current.pid);
        else if (open) moveTo(visible[index + 1]?.pid);
        break;
      case 'ArrowLeft':
        if (open) toggle(current.pid);
        else moveTo(current.parent);
        break;
      case 'Enter':
      case ' ':
        if (current.hasChildren) toggle(current.pid);
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  const renderNodes = (nodes: ProcessNode[], level: number) =>
    nodes.map((node) => {
      const hasChildren = node.children.length > 0;
      const expanded = hasChildren ? !collapsed.has(node.pid) : undefined;
      const gone = ended.length > 0 || view.exited.has(node.pid);
      const ending = gone ? endings.get(node.pid) : undefined;
      const isNew = view.spawned.has(node.pid);
      const rowId = `${idPrefix}-row-${node.pid}`;
      const classes = [
        'pt-item',
        node.pid === 1 && 'pt-pid1',
        isNew && 'pt-new',
        gone && 'pt-gone',
        node.state === 'Z' && 'pt-zombie',
      ];
      return (
        <li
          key={`${node.pid}-${gone ? 'gone' : 'live'}`}
          role="treeitem"
          aria-level={level}
          aria-expanded={expanded}
          aria-labelledby={rowId}
          aria-selected={node.pid === tabPid}
          tabIndex={node.pid === tabPid ? 0 : -1}
          data-pid={node.pid}
          className={classes.filter(Boolean).join(' ')}
          onFocus={(event) => {
            if (event.target === event.currentTarget) setFocusPid(node.pid);
          }}
        >
          <ProcessRow
            process={node}
            id={rowId}
            marks={{
              isNew: isNew && !gone,
              gone,
              reparented: reparented.has(node.pid),
              ending: ending && endingLabel(ending),
            }}
            expanded={expanded}
            onToggle={() => toggle(node.pid)}
          />
          {hasChildren && expanded && <ul role="group">{renderNodes(node.children, level + 1)}</ul>}
        </li>
      );
    });

  const when = seq !== undefined ? `at ${formatSeconds(view.t)}` : live ? 'live' : 'at the end';
  let empty: string | null = null;
  if (view.processes.length === 0) {
    const exit = lastExit && explainExit(lastExit.code, lastExit.signal, lastExit.oomKilled);
    if (view.running) empty = 'The container is starting: no processes sampled yet';
    else if (exit && ended.length) empty = `The container exited with ${exit}. Its processes as last seen:`;
    else if (exit) empty = `No processes: the container exited with ${exit}`;
    else empty = 'No processes: the container is not running';
  }

  return (
    <section className="panel pt" aria-labelledby={`${idPrefix}-title`}>
      <h2 className="panel-title" id={`${idPrefix}-title`}>
        Processes{scenario ? <span className="muted"> · {scenario}</span> : null}{' '}
        <span className="muted">· {when}</span>
      </h2>
      {empty && (
        <p className="pt-empty" role="status">
          {empty}
        </p>
      )}
      {tree.length > 0 && (
        <ul
          role="tree"
          aria-label={`Process tree of ${scenario ?? 'the container'}, ${when}`}
          className="pt-tree"
          ref={rootRef}
          onKeyDown={onKeyDown}
        >
          {renderNodes(tree, 1)}
        </ul>
      )}
    </section>
  );
}
