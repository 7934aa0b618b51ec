// One simulated learner: a cookie of their own, runs started as the page starts them and followed
// through the run's event stream (sometimes left mid-stream, then come back to with Last-Event-ID or
// not), and drafts saved now and then while they type. A server being replaced is waited for, as a
// page that reconnects would; anything the lab answers that a page could not cope with is a finding.
import { setTimeout as delay } from 'node:timers/promises';
import type { BuildExercise } from '../lib/lessons/curriculum';
import { LEARNER_COOKIE } from '../lib/learners/identity';
import { randomDraft, type SoakCase } from './soak-cases';
import type { RunRecord, SoakJournal } from './soak-journal';
import type { SoakLab } from './soak-lab';
import type { Random } from './soak-options';
import { sseEvents } from './sse-events';

/** Longer than any run of the soak's exercises lasts, queue included: past it a run is stuck. */
const RUN_DEADLINE_MS = 5 * 60_000;
/** How often a learner leaves a run's stream mid-way, and how often they then come back to it. */
const DISCONNECT_CHANCE = 0.15;
const COME_BACK_CHANCE = 0.6;

export class SoakLearner {
  private cookie = '';
  learnerId = '';

  constructor(
    readonly index: number,
    private readonly lab: SoakLab,
    private readonly journal: SoakJournal,
    /** The learner's choices of runs; drafts have a stream of their own, so timing does not mix them. */
    readonly random: Random,
    private readonly draftRandom: Random,
    private readonly exercises: BuildExercise[],
  ) {}

  /** A request as the page makes it, once a server listens; throws when no answer comes. */
  async request(method: string, url: string, body?: unknown, init: RequestInit = {}): Promise<Response> {
    await this.lab.whenUp();
    const response = await fetch(`${this.lab.base}${url}`, {
      ...init,
      method,
      headers: {
        'content-type': 'application/json',
        origin: this.lab.base,
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(init.headers as Record<string, string> | undefined),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    this.remember(response);
    return response;
  }

  /** The learner's cookie, from the first answer that sets it; a later answer naming someone else is a finding. */
  private remember(response: Response): void {
    const cookie = response.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .find((pair) => pair.startsWith(`${LEARNER_COOKIE}=`));
    if (!cookie) return;
    const id = cookie.slice(LEARNER_COOKIE.length + 1).split('.')[0];
    if (this.learnerId && id !== this.learnerId) {
      this.journal.finding(
        `learner ${this.index}: the server made them a new learner ${id} instead of ${this.learnerId}`,
      );
      return;
    }
    this.cookie = cookie;
    this.learnerId = id;
  }

  /** After a request got no answer: the server is being replaced (await it), or it broke by chance. */
  private async afterNoAnswer(): Promise<void> {
    await this.lab.whenUp();
    // A connection refused while the soak has not yet marked the server down: a short pause, not a spin.
    await delay(200);
  }

  /**
   * Presses Run with the case's files, follows the run to its end (or leaves it), and records it. A
   * probe (the fault injector's, timing the recovery) stays to the end and pauses for nothing.
   */
  async run(testCase: SoakCase, kind: 'run' | 'probe' = 'run'): Promise<RunRecord | undefined> {
    const runId = await this.start(testCase);
    if (!runId) return undefined;
    const record: RunRecord = {
      runId,
      learner: this.index,
      testCase,
      acceptedAt: Date.now(),
      messages: [],
      sequenceProblems: [],
      disconnects: 0,
      abandoned: false,
      streamCut: false,
      failedChecks: [],
    };
    if (kind === 'probe') {
      this.journal.probes.set(runId, record);
      await this.follow(record, false);
      return record;
    }
    this.journal.addRun(record);
    await this.follow(record, true);
    this.journal.runEnded(runId);
    // The learner reads the result before pressing Run again, longer when told the run was stopped:
    // without it, runs started while the engine is away fail in milliseconds and use up the soak.
    const stopped = record.streamStatus === 'error' || record.streamCut;
    await delay(this.random.int(200, 1500) + (stopped ? this.random.int(2000, 6000) : 0));
    return record;
  }

  private async start(testCase: SoakCase): Promise<string | undefined> {
    for (let tries = 0; tries < 500; tries++) {
      let response: Response;
      try {
        response = await this.request('POST', '/api/runs', { exerciseId: testCase.exerciseId, files: testCase.files });
      } catch {
        // No answer: the run may have been recorded before the server died; it is then in the database only.
        this.journal.unansweredStarts += 1;
        await this.afterNoAnswer();
        continue;
      }
      const body = (await response.json().catch(() => ({}))) as {
        runId?: string;
        error?: string;
        details?: { runId?: string };
      };
      if (response.status === 202 && body.runId) return body.runId;
      if (response.status === 409 || response.status === 429 || response.status === 503) {
        this.journal.retried(String(response.status));
        // 409: a run of this learner (one they left) is still going: the page shows it until it ends.
        if (response.status === 409 && body.details?.runId) await this.awaitEnd(body.details.runId);
        else await delay(Number(response.headers.get('retry-after') ?? 1) * 1000);
        continue;
      }
      this.journal.finding(`learner ${this.index}: POST /api/runs answered ${response.status}: ${body.error}`);
      return undefined;
    }
    this.journal.finding(`learner ${this.index}: no run of ${testCase.exerciseId} could be started in 500 tries`);
    return undefined;
  }

  /** Follows the run's events to its result, leaving and coming back as the dice say. */
  private async follow(record: RunRecord, mayLeave: boolean): Promise<void> {
    const leaveAfter = mayLeave && this.random.chance(DISCONNECT_CHANCE) ? this.random.int(1, 30) : 0;
    const comesBack = this.random.chance(COME_BACK_CHANCE);
    const awayMs = this.random.int(100, 3000);
    const deadline = Date.now() + RUN_DEADLINE_MS;
    let last = -1;
    let seen = 0;
    let endedEarly = 0;
    while (Date.now() < deadline) {
      const stream = new AbortController();
      const timer = setTimeout(() => stream.abort(), deadline - Date.now());
      let leaving = false;
      try {
        const response = await this.request('GET', `/api/runs/${record.runId}/events`, undefined, {
          signal: stream.signal,
          headers: last >= 0 ? { 'last-event-id': String(last) } : {},
        });
        // The server that held the run is gone: what became of it is in the database.
        if (response.status === 404) return void (await response.body?.cancel());
        for await (const event of sseEvents(response)) {
          const data = event.data as {
            type?: string;
            message?: string;
            status?: string;
            checks?: { id: string; status: string; bonus?: boolean; message: string }[];
          };
          if (event.event === 'result') {
            record.streamStatus = data.status;
            record.failedChecks = (data.checks ?? [])
              .filter((check) => check.status !== 'pass' && !check.bonus)
              .map((check) => `${check.id}: ${check.message}`);
            return;
          }
          if (event.event !== 'timeline') continue;
          if (event.id !== last + 1) record.sequenceProblems.push(`event ${event.id} came after ${last}`);
          last = Math.max(last, event.id ?? last);
          if (data.type === 'container-start' && mayLeave) this.journal.containerStarted(record.runId);
          if (data.type === 'platform-error' && data.message) record.messages.push(data.message);
          if (++seen === leaveAfter) {
            leaving = true;
            break;
          }
        }
      } catch {
        if (stream.signal.aborted) break;
        // The connection broke. Expected only when the soak took the server away.
        if (this.lab.serverUp)
          this.journal.finding(`run ${record.runId}: its event stream broke while the server was up`);
        record.streamCut = true;
        await this.lab.whenUp();
        continue;
      } finally {
        clearTimeout(timer);
        stream.abort();
      }
      if (!leaving) {
        // The stream ended without a result: ask again from the last event seen, after the `retry:` the
        // server sets (1 s), as EventSource does. A server that keeps doing it is a finding.
        if (++endedEarly === 3) this.journal.finding(`run ${record.runId}: its stream ended 3 times without a result`);
        await delay(1000);
        continue;
      }
      record.disconnects += 1;
      this.journal.live.delete(record.runId);
      const at = Date.now();
      if (!comesBack) {
        record.abandoned = true;
        this.journal.fault({
          kind: 'client-disconnect',
          at,
          until: at,
          runId: record.runId,
          detail: `left ${record.runId} for good`,
        });
        return;
      }
      // A reload takes a moment: a random pause, then the stream again from the last event seen.
      await delay(awayMs);
      this.journal.fault({
        kind: 'client-disconnect',
        at,
        until: Date.now(),
        runId: record.runId,
        detail: `left ${record.runId} after event ${last}, back after ${awayMs} ms`,
      });
    }
    this.journal.finding(`run ${record.runId}: no result within ${RUN_DEADLINE_MS / 1000} s`);
  }

  /** Follows a run until it ends, seeing nothing of it (a run the learner left, still holding their place). */
  async awaitEnd(runId: string): Promise<void> {
    try {
      const response = await this.request('GET', `/api/runs/${runId}/events`, undefined, {
        signal: AbortSignal.timeout(RUN_DEADLINE_MS),
      });
      if (response.status !== 200) return void (await response.body?.cancel());
      for await (const event of sseEvents(response)) if (event.event === 'result') break;
    } catch {
      await this.afterNoAnswer();
    }
  }

  /** Saves drafts now and then until `stop`, one at a time (their order is then the order saved). */
  async draftLoop(stop: AbortSignal): Promise<void> {
    for (let n = 1; !stop.aborted; n++) {
      // A learner types in bursts: a random pause places each save.
      await delay(this.draftRandom.int(300, 6000), undefined, { signal: stop }).catch(() => undefined);
      if (stop.aborted) return;
      await this.saveDraft(this.draftRandom.pick(this.exercises), `learner ${this.index} draft ${n}`);
    }
  }

  /** One PUT /api/drafts with random content; recorded with whether the server said it was saved. */
  async saveDraft(exercise: BuildExercise, label: string): Promise<void> {
    const files = randomDraft(exercise, this.draftRandom, label);
    const record = {
      learner: this.index,
      exerciseId: exercise.id,
      content: JSON.stringify(files),
      saved: undefined as boolean | undefined,
    };
    this.journal.drafts.push(record);
    try {
      const response = await this.request('PUT', `/api/drafts?exerciseId=${encodeURIComponent(exercise.id)}`, {
        files,
      });
      record.saved = response.status === 200;
      const text = await response.text();
      if (response.status === 429) this.journal.retried('429 (draft)');
      else if (!record.saved)
        this.journal.finding(
          `learner ${this.index}: PUT /api/drafts answered ${response.status}: ${text.slice(0, 200)}`,
        );
    } catch {
      await this.afterNoAnswer();
    }
  }
}
