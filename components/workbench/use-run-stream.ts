'use client';
// Starts a run and follows its events. EventSource reconnects by itself and sends the last event id,
// and the server replays from there; events are also kept by seq, so none is shown twice.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CheckResult, CheckStatus } from '@/lib/checks/check-result';
import type { RecognisedMistake } from '@/lib/checks/mistakes';
import type { PredictionOutcome } from '@/lib/checks/predictions';
import { sendUnlessCut } from '@/lib/http/resend-cut';
import { waitSeconds } from '@/lib/observe/run-view';
import { learnerReady } from './learner-ready';
import type { TimelineEvent } from '@/lib/observe/timeline-event';

/** Where a run is, for the toolbar. */
export type RunPhase = 'idle' | 'starting' | 'queued' | 'building' | 'running' | 'finished';

/** A queued run's place, as the server last told it. */
export interface QueueState {
  position: number;
  estimateMs?: number;
}

/** The toolbar's words for a queued run: "Queued: 2nd in line, about 12 s". */
export function queueLabel(queue: QueueState): string {
  const place = queue.position === 1 ? 'next in line' : `position ${queue.position} in line`;
  return `Queued: ${place}${queue.estimateMs === undefined ? '' : `, about ${waitSeconds(queue.estimateMs)} s`} (the lab is busy)`;
}

export interface RunStream {
  runId?: string;
  /** The last run this page started itself (not one it attached to): other tabs are told of it. */
  startedRunId?: string;
  events: TimelineEvent[];
  checks?: CheckResult[];
  status?: CheckStatus;
  /** The exercise's known mistakes the result looks like. */
  mistakes?: RecognisedMistake[];
  /** The learner's predictions beside what the finished run showed (every question of the exercise). */
  predictions?: PredictionOutcome[];
  phase: RunPhase;
  /** While the run waits for a slot: its place, updated as it moves up. */
  queue?: QueueState;
  running: boolean;
  error?: string;
  /** Starts a run; `predictions` are the learner's answers (question id -> choice id), sent with it. */
  start(
    exerciseId: string,
    files: { name: string; content: string }[],
    predictions?: Record<string, string>,
  ): Promise<void>;
  stop(): Promise<void>;
  /** Shows a run that already exists (started in another tab, or before a reload). */
  attach(runId: string, finished: boolean): void;
  /** Forgets the run shown (its result no longer applies, e.g. to a new incident). */
  reset(): void;
}

/** Sends Run's request, again after a cut (see sendUnlessCut). */
async function postRun(body: string): Promise<{ response: Response | null; resent: boolean }> {
  const { response, resent } = await sendUnlessCut(() =>
    fetch('/api/runs', { method: 'POST', headers: { 'content-type': 'application/json' }, body }),
  );
  return { response: response ?? null, resent: resent > 0 };
}

export function useRunStream(): RunStream {
  const [runId, setRunId] = useState<string>();
  const [startedRunId, setStartedRunId] = useState<string>();
  const [events, setEvents] = useState<TimelineEvent[]>([]);
  const [checks, setChecks] = useState<CheckResult[]>();
  const [mistakes, setMistakes] = useState<RecognisedMistake[]>();
  const [predictions, setPredictions] = useState<PredictionOutcome[]>();
  const [status, setStatus] = useState<CheckStatus>();
  const [phase, setPhase] = useState<RunPhase>('idle');
  const [queue, setQueue] = useState<QueueState>();
  const [error, setError] = useState<string>();
  const source = useRef<EventSource | null>(null);

  useEffect(() => () => source.current?.close(), []);

  // The run whose events are followed: attaching to it again changes nothing.
  const followed = useRef<string | null>(null);
  const follow = useCallback((id: string) => {
    source.current?.close();
    followed.current = id;
    const stream = new EventSource(`/api/runs/${id}/events`);
    source.current = stream;
    stream.addEventListener('timeline', (message) => {
      const event = JSON.parse((message as MessageEvent<string>).data) as TimelineEvent;
      setEvents((current) => (event.seq < current.length ? current : [...current, event]));
      if (event.type === 'queued') {
        setPhase('queued');
        setQueue({ position: event.position, estimateMs: event.estimateMs });
      }
      if (event.type === 'build-start' || event.type === 'run-end') setQueue(undefined);
      if (event.type === 'build-start') setPhase('building');
      if (event.type === 'scenario-start') setPhase('running');
    });
    stream.addEventListener('result', (message) => {
      const result = JSON.parse((message as MessageEvent<string>).data) as {
        status: CheckStatus;
        checks: CheckResult[];
        mistakes?: RecognisedMistake[];
        predictions?: PredictionOutcome[];
      };
      setChecks(result.checks);
      setPredictions(result.predictions);
      setMistakes(result.mistakes);
      setStatus(result.status);
      setPhase('finished');
      stream.close();
    });
    // EventSource tries a cut connection again by itself; a stream the server refused (no such run) is
    // closed for good, and the page must not wait for it.
    stream.addEventListener('error', () => {
      if (stream.readyState !== EventSource.CLOSED || source.current !== stream) return;
      setError("the lab could not follow this run's events: run again");
      setPhase('finished');
    });
  }, []);

  const start = useCallback(
    async (exerciseId: string, files: { name: string; content: string }[], picks?: Record<string, string>) => {
      setError(undefined);
      setPhase('starting');
      await learnerReady();
      const request = JSON.stringify({
        exerciseId,
        files,
        ...(picks && Object.keys(picks).length ? { predictions: picks } : {}),
      });
      const { response, resent } = await postRun(request);
      const body = (await response?.json().catch(() => ({}))) as {
        runId?: string;
        error?: string;
        details?: { runId?: string };
      };
      // Sent again after a cut, the first request had reached a lab server after all: this is its run.
      const ours = resent && response?.status === 409 ? body.details?.runId : undefined;
      const started = response?.ok ? body.runId : ours;
      if (!started) {
        setError(body?.error ?? 'the lab could not be reached: press Run again');
        setPhase(status ? 'finished' : 'idle');
        if (response?.status === 409 && body.details?.runId) {
          // Another tab started a run: show that one.
          setRunId(body.details.runId);
          setEvents([]);
          setPhase('running');
          follow(body.details.runId);
        }
        return;
      }
      setRunId(started);
      setStartedRunId(started);
      setEvents([]);
      setChecks(undefined);
      setPredictions(undefined);
      setStatus(undefined);
      follow(started);
    },
    [follow, status],
  );

  const stop = useCallback(async () => {
    if (runId) await fetch(`/api/runs/${runId}/stop`, { method: 'POST' }).catch(() => undefined);
  }, [runId]);

  const attach = useCallback(
    (id: string, finished: boolean) => {
      if (followed.current === id) return;
      setRunId(id);
      setEvents([]);
      setChecks(undefined);
      setPredictions(undefined);
      setStatus(undefined);
      setPhase(finished ? 'finished' : 'running');
      follow(id);
    },
    [follow],
  );

  const reset = useCallback(() => {
    source.current?.close();
    followed.current = null;
    setRunId(undefined);
    setEvents([]);
    setChecks(undefined);
    setPredictions(undefined);
    setStatus(undefined);
    setError(undefined);
    setPhase('idle');
  }, []);

  const running = phase === 'starting' || phase === 'queued' || phase === 'building' || phase === 'running';
  return {
    runId,
    startedRunId,
    events,
    checks,
    status,
    mistakes,
    predictions,
    phase,
    queue: phase === 'queued' ? queue : undefined,
    running,
    error,
    start,
    stop,
    attach,
    reset,
  };
}
