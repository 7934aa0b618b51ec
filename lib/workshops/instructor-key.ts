// The instructor's secret: a long random key carried by the instructor's link. Only its SHA-256 is
// stored, so the records alone do not let anyone act as the instructor; a key is checked by comparing
// hashes in constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { WORKSHOP_POLICY } from './workshop-policy';

/** A new instructor key (base64url, 43 characters). */
export function newInstructorKey(): string {
  return randomBytes(WORKSHOP_POLICY.instructorKeyBytes).toString('base64url');
}

/** The stored form of a key: its SHA-256, hex. */
export function hashInstructorKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** True when `key` is the one whose hash is `storedHash`; the time taken does not depend on where they differ. */
export function instructorKeyMatches(storedHash: string, key: string): boolean {
  const given = Buffer.from(hashInstructorKey(key), 'hex');
  const wanted = Buffer.from(storedHash, 'hex');
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
