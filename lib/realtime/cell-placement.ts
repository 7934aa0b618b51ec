// Which cell serves a learner, behind the lab's balancer (deploy/nginx): the balancer routes by the
// `lab_cell` cookie, and sends a request without one, or one whose cell it could not reach, to any cell
// alive. That cell places the learner on the least full live cell (lib/db/cell-store.ts) and sets the
// cookie. A GET (a page, a stream) or a WebSocket is served where it arrives, and the next requests go to
// the chosen cell; any other request (a run started, a draft saved) is sent back to the same address
// (307: same method, same body), which the balancer then routes to the chosen cell, so that what it
// changes lives where the learner's next requests go. A client that keeps no cookies is therefore never
// sent round in circles by GETs. A request that did not come through the balancer (no X-Lab-Balancer
// header: a health check, an operator on a cell's own port) is served where it arrives, as it is.
import type { IncomingMessage } from 'node:http';
import { placeLearner } from '../db/cell-store';
import { log } from '../log';

/** The cookie that names a learner's cell; the balancer routes by it. */
export const CELL_COOKIE = 'lab_cell';
/** The header the balancer adds to every request it forwards. */
export const BALANCER_HEADER = 'x-lab-balancer';

const COOKIE_MAX_AGE_S = 7 * 24 * 3600;
/** Files of the web app's build are the same on every cell: they never place a learner. */
const UNPLACED = [/^\/_next\//, /^\/favicon\.ico$/, /^\/api\/health$/];

/** What to do with a request: serve it here (with a cookie to set), or send the browser to another cell. */
export type Placement = { serve: true; setCookie?: string } | { serve: false; setCookie: string; location: string };

/** The cookie's value in a Cookie header, or undefined. */
export function cellCookieOf(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === CELL_COOKIE) return value.join('=') || undefined;
  }
  return undefined;
}

/** Places learners who reach this cell without a cell of their own (or with one that is gone). */
export class CellPlacement {
  constructor(
    readonly cell: string,
    private readonly aliveMs: number,
    private readonly place: (aliveMs: number, exclude: string[]) => Promise<string | undefined> = placeLearner,
  ) {}

  async decide(request: IncomingMessage): Promise<Placement> {
    if (!request.headers[BALANCER_HEADER]) return { serve: true };
    const path = (request.url ?? '/').split('?')[0];
    if (UNPLACED.some((pattern) => pattern.test(path))) return { serve: true };
    const named = cellCookieOf(request.headers.cookie);
    if (named === this.cell) return { serve: true };
    // A cookie that names another cell reached this one: the balancer could not reach that cell.
    const exclude = named ? [named] : [];
    const target =
      (await this.place(this.aliveMs, exclude).catch((error: unknown) => {
        log.warn('Placing a learner failed; this cell serves them', { error: String(error) });
        return undefined;
      })) ?? this.cell;
    const setCookie = `${CELL_COOKIE}=${target}; Path=/; Max-Age=${COOKIE_MAX_AGE_S}; HttpOnly; SameSite=Lax`;
    log.info('Placed a learner on a cell', { cell: target, ...(named ? { unreachable: named } : {}), path });
    const reads = request.method === 'GET' || request.method === 'HEAD' || request.headers.upgrade !== undefined;
    if (target === this.cell || reads) return { serve: true, setCookie };
    return { serve: false, setCookie, location: request.url ?? '/' };
  }
}
