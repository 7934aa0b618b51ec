// How the Dockerfile rules read one instruction: in the context of the file's stages so far, its
// working directory, and whether it is an ONBUILD trigger.
import type { StageBook } from './dockerfile-stages';

/** Where one instruction is read: the file's stages, the working directory, inside ONBUILD or not. */
export interface DockerfileReading {
  labImages: string[];
  book: StageBook;
  place: { workdir: string };
  /** The instruction is an ONBUILD trigger: it runs at the start of a later build, not in this one. */
  trigger: boolean;
  problem: (message: string) => void;
}
