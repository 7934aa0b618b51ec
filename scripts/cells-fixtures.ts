// What the tests of a lab of several cells share: a visitor that keeps its cookies like a browser and
// follows the balancer's redirects with them, and a learner's Run of an exercise's solution.
import assert from 'node:assert/strict';
import { caseFiles, findBuildExercise, loadCurriculum } from '../lib/lessons/curriculum';
import { CELL_COOKIE } from '../lib/realtime/cell-placement';
import { followSse } from './test-harness';

/** A browser of its own: its cookies (set by any cell), sent wherever it goes. */
export class Visitor {
  private readonly cookies = new Map<string, string>();

  /** Requests `path` of `base`; a 307 is followed as a browser does, with the cookies it set. */
  async fetch(base: string, path: string, init: RequestInit = {}): Promise<Response> {
    for (let hops = 0; ; hops++) {
      const response = await fetch(`${base}${path}`, {
        ...init,
        redirect: 'manual',
        headers: {
          'content-type': 'application/json',
          origin: base,
          cookie: this.cookieHeader(),
          ...(init.headers ?? {}),
        },
      });
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const at = pair.indexOf('=');
        this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
      }
      if (response.status !== 307) return response;
      assert.ok(hops < 2, `sent round in circles: ${path}`);
      path = response.headers.get('location')!;
    }
  }

  /** The cell the balancer routes this visitor to (the cookie a cell set), if any. */
  get cell(): string | undefined {
    return this.cookies.get(CELL_COOKIE);
  }

  /** The Cookie header this visitor sends. */
  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/** Presses Run on the solution of `exerciseId`; resolves with the run's id. */
export async function startRun(visitor: Visitor, base: string, exerciseId: string): Promise<string> {
  const exercise = findBuildExercise(exerciseId, loadCurriculum())!;
  const started = await visitor.fetch(base, '/api/runs', {
    method: 'POST',
    body: JSON.stringify({ exerciseId, files: caseFiles(exercise, 'solution') }),
  });
  assert.equal(started.status, 202, await started.clone().text());
  return ((await started.json()) as { runId: string }).runId;
}

/** What a run's event stream ended with: its status, and the platform errors it told of. */
export interface RunEnd {
  status: string;
  errors: string[];
}

/** Follows the run's events to its result. */
export async function resultOf(visitor: Visitor, base: string, runId: string): Promise<RunEnd> {
  const end: RunEnd = { status: '', errors: [] };
  await followSse(await visitor.fetch(base, `/api/runs/${runId}/events`), (event, data) => {
    const payload = data as { type?: string; message?: string; status?: string };
    if (event === 'timeline' && payload.type === 'platform-error') end.errors.push(payload.message!);
    if (event !== 'result') return;
    end.status = payload.status!;
    return true;
  });
  return end;
}

/** The cells a cell's /api/health lists. */
export interface CellsHealth {
  cells: { name: string; me: boolean; slots: number }[];
}
