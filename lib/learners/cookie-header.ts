// The learner of a raw Node request (a WebSocket upgrade, which Next.js route handlers never see),
// from the same signed cookie the HTTP routes read.
import type { IncomingMessage } from 'node:http';
import { LEARNER_COOKIE, verifyLearner } from './identity';

/** The value of one cookie in a Cookie header, or undefined. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** The learner a raw request comes from, or null when the cookie is missing or forged. */
export function learnerOfRequest(request: IncomingMessage): string | null {
  return verifyLearner(cookieValue(request.headers.cookie, LEARNER_COOKIE));
}
