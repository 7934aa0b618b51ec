// What the proxy answers when a name the learner gave finds none of their objects, or more than one.
import type { Lookup } from './ownership';
import type { Refusal } from './refusal';

/** The refusal for a lookup that found nothing (404) or more than one (400); null when it found one. */
export function lookupRefusal<T>(lookup: Lookup<T>): Refusal | null {
  if ('missing' in lookup) return { status: 404, message: lookup.missing };
  if ('ambiguous' in lookup) return { status: 400, message: lookup.ambiguous };
  return null;
}
