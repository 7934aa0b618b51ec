// How a learner's own Docker objects are named and labelled on the shared engine. Names are global on
// an engine, so the Docker API proxy gives each learner a namespace: the container a learner calls
// `my-api` is `lab-<key>_my-api` on the engine, the image `my-api:1.4.0` is `learner-<key>/my-api:1.4.0`.
// The proxy adds the namespace to what the learner sends and removes it from what the engine answers.
import crypto from 'node:crypto';
import {
  EXPIRES_LABEL,
  OWNER_LABEL,
  PROCESS_LABEL,
  RUN_LABEL,
  TERMINAL_RUN_PREFIX,
  thisProcess,
} from '../sandbox/labels';

/** Marks containers and images made from the terminal (directly, or by the lab in the learner's name). */
export const ORIGIN_LABEL = 'lab.origin';
export const TERMINAL_ORIGIN = 'terminal';

/**
 * Marks a container the lab staged for the learner to investigate (an incident): the learner's, but
 * not shown in the page's panels, where its process tree would give the answer away.
 */
export const STAGED_LABEL = 'lab.staged';

/** The longest a terminal resource may live, whatever the idle timeout: the reaper's backstop. */
export const TERMINAL_MAX_LIFETIME_MS = 8 * 60 * 60 * 1000;

/** A learner's namespace on the engine. */
export interface Scope {
  /** The learner id (the lab.owner label). */
  owner: string;
  /** A short, stable, engine-safe key derived from the owner. */
  key: string;
  /** Prefix of the engine name of the learner's containers. */
  containerPrefix: string;
  /** Prefix of the engine repository of the learner's images. */
  imagePrefix: string;
  /** The run id on every terminal resource of this learner (lab.run), so the reaper knows them. */
  runId: string;
}

export function scopeOf(owner: string): Scope {
  const key = crypto.createHash('sha256').update(owner).digest('hex').slice(0, 12);
  return {
    owner,
    key,
    containerPrefix: `lab-${key}_`,
    imagePrefix: `learner-${key}/`,
    runId: `${TERMINAL_RUN_PREFIX}${key}`,
  };
}

/** The engine name of a learner's container. */
export function engineContainerName(scope: Scope, name: string): string {
  return `${scope.containerPrefix}${name.replace(/^\//, '')}`;
}

/** The engine reference of a learner's image (`my-api:1.4.0` -> `learner-<key>/my-api:1.4.0`). */
export function engineImageRef(scope: Scope, ref: string): string {
  return `${scope.imagePrefix}${ref}`;
}

/** The labels every terminal container and image of the learner carries. */
export function terminalLabels(scope: Scope, now = Date.now()): Record<string, string> {
  return {
    [RUN_LABEL]: scope.runId,
    [OWNER_LABEL]: scope.owner,
    [EXPIRES_LABEL]: String(now + TERMINAL_MAX_LIFETIME_MS),
    [PROCESS_LABEL]: thisProcess,
    [ORIGIN_LABEL]: TERMINAL_ORIGIN,
  };
}

/** Removes the learner's namespace from any text the engine sent (names, tags, messages). */
export function stripScope(scope: Scope, text: string): string {
  return text.split(scope.containerPrefix).join('').split(scope.imagePrefix).join('');
}
