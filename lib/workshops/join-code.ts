// Join codes: short enough to read off a projector, from an alphabet without look-alikes.
import { randomInt } from 'node:crypto';
import { WORKSHOP_POLICY } from './workshop-policy';

const { alphabet, length } = WORKSHOP_POLICY.joinCode;

/** A new random join code, e.g. `K7RM4Q`. */
export function newJoinCode(): string {
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');
}

/** The code as typed (any case, spaces or dashes) in its stored form; null when it cannot be a code. */
export function normalizeJoinCode(typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]/g, '');
  return code.length === length && [...code].every((char) => alphabet.includes(char)) ? code : null;
}
