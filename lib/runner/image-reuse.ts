// A Run of files already built runs the image they made, without building again. The same files on
// the same lab images make the same image (the build cache would answer every step of a new build
// with the steps of the first, at 70-120 ms and a tenth of a CPU-second of dockerd's on this machine),
// so the lab keeps, per content, the image a build made and the build's output the learner read. A
// room of learners running the starter files, or one learner running unchanged files again, starts
// at once. The output shown is that build's own, with a line saying it was reused and when it was made.
import { createHash } from 'node:crypto';
import type { Engine } from '../sandbox/engine';
import { imageReferences } from '../sandbox/dockerfile-stages';
import type { LearnerFile } from '../sandbox/learner-files';

/** A build remembered: its image and what it printed for the learner. */
export interface ReusableBuild {
  imageId: string;
  output: string[];
  builtAt: number;
}

/** How many builds are remembered (the oldest forgotten first); each is a few KiB of output at most. */
const REMEMBERED = 500;
const builds = new Map<string, ReusableBuild>();

/**
 * What identifies a build: every file (its name, which also decides whether it is a script, and its
 * content), the lab's own step, and the id of each image the Dockerfile names (FROM and COPY --from,
 * as the engine reads them: a lab image the setup has rebuilt makes a new key). Null when a named image
 * cannot be found (the build will say why).
 */
export async function buildKey(engine: Engine, files: LearnerFile[], labStep: string): Promise<string | null> {
  const dockerfile = files.find((file) => file.name === 'Dockerfile')?.content ?? '';
  const bases: string[] = [];
  for (const { name } of imageReferences(dockerfile)) {
    const id = await engine.imageId(name);
    if (!id) return null;
    bases.push(`${name}=${id}`);
  }
  const hash = createHash('sha256');
  for (const part of [labStep, ...bases]) hash.update(`${part}\0`);
  for (const file of [...files].sort((a, b) => a.name.localeCompare(b.name)))
    hash.update(`${file.name}\0${file.content.length}\0${file.content}\0`);
  return hash.digest('hex');
}

/** Builds under way, by key: a run of the same files waits for the one that is building them. */
const inFlight = new Map<string, Promise<void>>();

/** What a run of files does: use the image of their build, or build and then say what it made. */
export type BuildClaim = { reused: ReusableBuild } | { finish: (build: ReusableBuild | null) => void };

/**
 * The image of these files when one is there (held for this run), else the right to build them. A room
 * pressing Run on the same files at once makes one build: the others wait for it and use its image. If
 * that build fails, each builds for itself (a failure is not remembered: the engine may be at fault).
 */
export async function claimBuild(engine: Engine, key: string): Promise<BuildClaim> {
  const pending = inFlight.get(key);
  if (pending) await pending;
  const known = builds.get(key);
  if (known && (await engine.holdImage(known.imageId))) {
    builds.delete(key);
    builds.set(key, known); // the most recently used last
    return { reused: known };
  }
  if (known && builds.get(key) === known) builds.delete(key);
  if (pending || inFlight.has(key)) return { finish: (build) => build && remember(key, build) };
  let done!: () => void;
  inFlight.set(key, new Promise<void>((resolve) => (done = resolve)));
  return {
    finish: (build) => {
      if (build) remember(key, build);
      inFlight.delete(key);
      done();
    },
  };
}

/** Remembers a successful build for the runs of the same files after it. */
function remember(key: string, build: ReusableBuild): void {
  builds.delete(key);
  builds.set(key, build);
  if (builds.size > REMEMBERED) builds.delete(builds.keys().next().value!);
}
