// How the container and exec policies say no: whether a learner gave a field a value, and the refusal
// (status and the message the CLI prints) a policy answers with.
import type { Refusal } from './refusal';

/** Whether the learner gave a field a value: undefined, null, false, '', 0 and an empty list or object are none. */
export function given(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === '' || value === 0) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value as object).length > 0;
  return true;
}

/** A policy's answer when it will not build the body: 403 unless told otherwise. */
export const refuse = (message: string, status = 403): { refusal: Refusal } => ({ refusal: { status, message } });
