// A Run of files already built runs the image they made, without building again. The same files on
// the same lab images make the same image (the build cache would answer every step of a new build
// with the steps of the first, at 70-120 ms and a tenth of a CPU-second of dockerd's on this machine),
// so the lab keeps, per content, the image a build made and the build's output the learner read. A
// room of learners running the starter files, or one learner running unchanged files again, starts
// at once. The output shown is that build's own, with a line saying it was reused and when it was made.
import { createHash } from 'node:crypto';
import type { Engine } from '../sandbox/engine';
import { parseDockerfile } from '../sandbox/dockerfile-parser';
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
 * content), the lab's own step, and
 * the id of each image the Dockerfile starts FROM (a lab image the setup has rebuilt makes a new key).
 * Null when a FROM image cannot be found (the build will say why).
 */
export async function buildKey(engine: Engine, files: LearnerFile[], labStep: string): Promise<string | null> {
  const dockerfile = files.find((file) => file.name === 'Dockerfile')?.content ?? '';
  const stages = new Set<string>();
  const bases: string[] = [];
  for (const instruction of parseDockerfile(dockerfile).instructions) {
    if (instruction.keyword !== 'FROM') continue;
    const words = instruction.args.split(/\s+/).filter((word) => !word.startsWith('--'));
    const [image, as, name] = words;
    if (image && !stages.has(image.toLowerCase())) {
      const id = await engine.imageId(image);
      if (!id) return null;
      bases.push(`${image}=${id}`);
    }
    if (as?.toLowerCase() === 'as' && name) stages.add(name.toLowerCase());
  }
  const hash = createHash('sha256');
  for (const part of [labStep, ...bases]) hash.update(`${part}\0`);
  for (const file of [...files].sort((a, b) => a.name.localeCompare(b.name)))
    hash.update(`${file.name}\0${file.content.length}\0${file.content}\0`);
  return hash.digest('hex');
}

/** The build remembered for `key` whose image is still there, held for this run; null otherwise. */
export async function reuseBuild(engine: Engine, key: string): Promise<ReusableBuild | null> {
  const build = builds.get(key);
  if (!build) return null;
  if (await engine.holdImage(build.imageId)) {
    builds.delete(key);
    builds.set(key, build); // the most recently used last
    return build;
  }
  builds.delete(key);
  return null;
}

/** Remembers a successful build for the runs of the same files after it. */
export function rememberBuild(key: string, build: ReusableBuild): void {
  builds.delete(key);
  builds.set(key, build);
  if (builds.size > REMEMBERED) builds.delete(builds.keys().next().value!);
}
