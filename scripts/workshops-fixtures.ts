// What the workshop tests share: a lab server of their own (its own database, a creation limit the
// tests can reach), requests as an instructor and as learners, SSE streams followed while a test goes
// on, and the learners' containers on the engine.
import assert from 'node:assert/strict';
import Docker from 'dockerode';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { findExercise } from '../lib/lessons/curriculum';
import {
  followSse,
  requestJson,
  startLabServer,
  type JsonReply,
  type LabServer,
  type SseMessage,
} from './test-harness';

/** The exercise a workshop's learners build. */
export const PID1 = 'main-process-exit/pid1';
/** The exercise a workshop's learners diagnose. */
export const DIAGNOSE = 'main-process-exit/diagnose';
/** The server's SQLite database, in a folder of this test process. */
export const databaseFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lab-workshops-')), 'lab.db');
const docker = new Docker({ socketPath: '/var/run/docker.sock' });
/** The lab server of this test file, started before its tests. */
export let server: LabServer;
/** Enough for the workshops the tests create, and a limit the last test reaches. */
export const CREATES_PER_HOUR = 25;

/** Starts the lab server before the test file's tests and stops it after them: it must exit cleanly. */
export function workshopServer(): void {
  before(async () => {
    server = await startLabServer({
      env: { DATABASE_URL: `file:${databaseFile}`, LAB_WORKSHOPS_PER_HOUR: String(CREATES_PER_HOUR) },
    });
  });

  after(async () => {
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0, server.output());
  });
}

/** A JSON reply of the server. */
export type Reply = JsonReply;

/** A request to the lab server. */
export function call(
  method: string,
  url: string,
  options: { body?: unknown; cookie?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  return requestJson(server.base, method, url, options);
}

/** What creating a workshop answers. */
export interface Created {
  workshopId: string;
  joinCode: string;
  instructorKey: string;
  instructorUrl: string;
}

/** Creates a workshop of both exercises for 40 learners, with `overrides`. */
export async function create(overrides: Record<string, unknown> = {}): Promise<Created> {
  const reply = await call('POST', '/api/workshops', {
    body: { title: 'Containers and PID 1', exerciseIds: [PID1, DIAGNOSE], capacity: 40, ...overrides },
  });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return reply.body as unknown as Created;
}

/** Joins as a new learner (or the one of `cookie`); returns the reply with the learner's cookie. */
export async function join(code: string, displayName: string, cookie?: string): Promise<Reply & { cookie: string }> {
  const reply = await call('POST', '/api/workshops/join', { body: { code, displayName }, cookie });
  return { ...reply, cookie: cookie ?? reply.cookie! };
}

/** The learner's ID, from their cookie. */
export function learnerIdOf(cookie: string): string {
  return cookie.slice('lab_learner='.length).split('.')[0];
}

/** An SSE stream followed while the test goes on: the messages so far, and a wait for one that matches. */
export interface Stream {
  messages: SseMessage[];
  waitFor(match: (message: SseMessage) => boolean, timeoutMs?: number): Promise<SseMessage>;
  close(): void;
}

export async function stream(url: string, cookie: string): Promise<Stream> {
  const abort = new AbortController();
  const response = await fetch(`${server.base}${url}`, { headers: { cookie }, signal: abort.signal });
  assert.equal(response.status, 200, `${url} answered ${response.status}`);
  const messages: SseMessage[] = [];
  const waiters = new Set<() => void>();
  followSse(response, (event, data) => {
    messages.push({ event, data });
    waiters.forEach((wake) => wake());
  }).catch(() => undefined);
  return {
    messages,
    close: () => abort.abort(),
    waitFor: (match, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `no matching event from ${url} within ${timeoutMs} ms; got ${JSON.stringify(messages.map((m) => m.event))}`,
            ),
          );
        }, timeoutMs);
        const check = () => {
          const found = messages.find(match);
          if (!found) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        waiters.add(check);
        check();
      }),
  };
}

/** The header that names the workshop's instructor. */
export const instructor = (workshop: Created) => ({ 'x-instructor-key': workshop.instructorKey });

/** The containers on the engine that belong to a learner (runs, workstation, terminal, incident). */
export async function containersOf(learnerId: string): Promise<string[]> {
  return (await docker.listContainers({ all: true, filters: { label: [`lab.owner=${learnerId}`] } })).map(
    (info) => info.Id,
  );
}

/** Starts a run of pid1's starter (slow to stop: a shell as PID 1) and resolves once its container runs. */
export async function runInProgress(cookie: string): Promise<string> {
  const exercise = findExercise(PID1)!;
  const started = await call('POST', '/api/runs', { body: { exerciseId: PID1, files: exercise.starter }, cookie });
  assert.equal(started.status, 202, JSON.stringify(started.body));
  const runId = started.body.runId as string;
  const events = await stream(`/api/runs/${runId}/events`, cookie);
  try {
    await events.waitFor(
      (message) => message.event === 'timeline' && (message.data as { type: string }).type === 'container-start',
      120_000,
    );
  } finally {
    events.close();
  }
  return runId;
}

/** Opens the learner's diagnosis incident: their stopped my-api container exists on the engine. */
export async function openIncident(cookie: string): Promise<void> {
  const opened = await call('POST', '/api/incidents', { body: { exerciseId: DIAGNOSE }, cookie });
  assert.equal(opened.status, 200, JSON.stringify(opened.body));
}
