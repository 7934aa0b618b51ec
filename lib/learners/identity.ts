// Learners have no accounts: an id in a signed cookie is who they are. The signature (HMAC-SHA256 with
// the lab's secret) stops one learner from claiming another's id.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { config } from '../config';

/** The cookie that carries the learner id. */
export const LEARNER_COOKIE = 'lab_learner';

let cachedSecret: Buffer | null = null;

/** LAB_SECRET, or a random secret kept in data/secret (made on first use, readable by the lab only). */
function secret(): Buffer {
  if (cachedSecret) return cachedSecret;
  const configured = config().LAB_SECRET;
  if (configured) return (cachedSecret = Buffer.from(configured));
  const file = path.resolve(/* turbopackIgnore: true */ process.cwd(), 'data', 'secret');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  }
  return (cachedSecret = Buffer.from(fs.readFileSync(file, 'utf8').trim()));
}

function mac(id: string): string {
  return createHmac('sha256', secret()).update(id).digest('base64url');
}

/** A new learner id. */
export function newLearnerId(): string {
  return `l${randomBytes(8).toString('hex')}`;
}

/** The cookie value for a learner id. */
export function signLearner(id: string): string {
  return `${id}.${mac(id)}`;
}

/** The learner id in a cookie value, or null when it is missing or forged. */
export function verifyLearner(value: string | undefined | null): string | null {
  if (!value) return null;
  const dot = value.lastIndexOf('.');
  if (dot <= 0) return null;
  const id = value.slice(0, dot);
  if (!/^l[0-9a-f]{16}$/.test(id)) return null;
  const given = Buffer.from(value.slice(dot + 1));
  const wanted = Buffer.from(mac(id));
  return given.length === wanted.length && timingSafeEqual(given, wanted) ? id : null;
}
