'use client';
// Which run of this exercise the workbench shows when it did not start one itself: the run another tab
// of this browser has just started, or, on opening the page, the learner's latest run on the server
// (in progress or finished). The server's list alone is not enough: a tab that asks while another
// tab's POST /api/runs is still on its way finds nothing and would never look again. So the tab that
// starts a run tells the others at once (BroadcastChannel), and the listener is in place before the
// list is asked for: a run heard of meanwhile is newer than anything the list can answer.
import { useEffect, useRef } from 'react';
import { learnerReady } from './learner-ready';
import type { RunStream } from './use-run-stream';

/** The channel the tabs of one browser tell each other about the runs they start on. */
const CHANNEL = 'lab:runs';

/** What a tab says when it has started a run. */
interface RunStarted {
  type: 'run-started';
  exerciseId: string;
  runId: string;
}

function isRunStarted(data: unknown): data is RunStarted {
  const message = data as Partial<RunStarted> | null;
  return message?.type === 'run-started' && typeof message.runId === 'string' && typeof message.exerciseId === 'string';
}

/** Shows the run another tab started, or the latest one on the server; tells other tabs of runs started here. */
export function useLatestRun(exerciseId: string, run: Pick<RunStream, 'attach' | 'startedRunId' | 'phase'>): void {
  const { attach, startedRunId } = run;
  // One channel per page: a message is not delivered to the object that posts it, so this tab does not
  // hear its own runs.
  const channelRef = useRef<BroadcastChannel | null>(null);
  // The list's answer is for a page that shows nothing yet: a run started here meanwhile is newer.
  const idle = useRef(true);
  useEffect(() => {
    idle.current = run.phase === 'idle';
  }, [run.phase]);

  useEffect(() => {
    let cancelled = false;
    // Set once a broadcast has been followed: the list's answer, asked for before, is older.
    let heard = false;
    const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL);
    channelRef.current = channel;
    if (channel)
      channel.onmessage = (message: MessageEvent<unknown>) => {
        if (!isRunStarted(message.data) || message.data.exerciseId !== exerciseId) return;
        heard = true;
        attach(message.data.runId, false);
      };
    // A new visitor gets their cookie here, as the page opens, long before they can save or run.
    learnerReady()
      .then(() => fetch(`/api/runs?exerciseId=${encodeURIComponent(exerciseId)}`))
      .then((response) => (response.ok ? response.json() : { runs: [] }))
      .then((body: { runs: { runId: string; status: string }[] }) => {
        const latest = body.runs[0];
        if (!cancelled && !heard && idle.current && latest) attach(latest.runId, latest.status !== 'running');
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
      channel?.close();
      channelRef.current = null;
    };
  }, [exerciseId, attach]);

  // Only a run this tab started is announced: one it attached to was announced by its own tab, and
  // announcing an older one would take the other tabs back to it.
  useEffect(() => {
    if (!startedRunId) return;
    const message: RunStarted = { type: 'run-started', exerciseId, runId: startedRunId };
    channelRef.current?.postMessage(message);
  }, [exerciseId, startedRunId]);
}
