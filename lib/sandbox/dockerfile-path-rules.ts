// Where an instruction writes: never into /proc or /sys, from whatever working directory it runs in.
import path from 'node:path';
import type { DockerfileReading } from './dockerfile-reading';
import { WORD_PROBLEM_TEXT, wordValue } from './dockerfile-words';

const FORBIDDEN_PATH = /^\/(proc|sys)(\/|$)/;

/** Where a path lands from the current working directory is /proc or /sys (or under them). */
export function forbiddenTarget(target: string, { place }: DockerfileReading): boolean {
  return FORBIDDEN_PATH.test(path.posix.resolve(place.workdir, target));
}

/** WORKDIR: a path written out, outside /proc and /sys; it moves the working directory the next paths start from. */
export function checkWorkdir(args: string, reading: DockerfileReading): void {
  const read = wordValue(args);
  if ('problem' in read) {
    reading.problem(`WORKDIR with ${WORD_PROBLEM_TEXT[read.problem]} is not allowed here: write the path out`);
  } else if (forbiddenTarget(read.value, reading)) {
    reading.problem(`WORKDIR ${args} is not allowed: /proc and /sys belong to the kernel`);
  } else {
    reading.place.workdir = path.posix.resolve(reading.place.workdir, read.value);
  }
}
