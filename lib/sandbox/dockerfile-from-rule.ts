// The rule of FROM: a learner's image starts FROM a lab image or a stage of the same file, named plainly.
import type { DockerfileReading } from './dockerfile-reading';
import { fromWords, STAGE_NAME } from './dockerfile-stages';
import { wordValue } from './dockerfile-words';

/** The image a FROM or COPY --from may name: exactly a lab image (or the caller's allowed images), with or without :latest. */
export function isAllowedImage(name: string, labImages: string[]): boolean {
  const lower = name.toLowerCase();
  return labImages.some((image) => lower === image || lower === `${image}:latest`);
}

/** The value of an image name written plainly; undefined when quotes, escapes or variables make it differ from its text. */
function plainName(word: string): string | undefined {
  const read = wordValue(word);
  return 'value' in read && read.value === word ? read.value : undefined;
}

/** FROM: a lab image or a stage above, written out; a stage name of its own, once. */
export function checkFrom(args: string, { labImages, book, place, problem }: DockerfileReading): void {
  const { image, alias, wellFormed } = fromWords(args);
  book.endStage();
  if (image === undefined) {
    problem('FROM needs an image, for example FROM lab/node');
  } else if (!wellFormed) {
    problem(`FROM takes an image and, optionally, AS and a stage name: for example FROM ${image} AS build`);
  } else if (plainName(image) === undefined) {
    problem(
      `FROM ${image} is not allowed: write the image name out, without variables, quotes or escapes (for example FROM lab/node)`,
    );
  } else if (!book.isStage(image) && !isAllowedImage(image, labImages)) {
    // getImageOrStage: a FROM name is a stage's name or an image; "FROM 1" is an image (or image ID prefix).
    const numbers = /^[+-]?[0-9]+$/.test(image) ? ', or a stage by its name (FROM takes no stage numbers)' : '';
    problem(`FROM ${image} is not allowed: build FROM a lab image (${labImages.join(', ')})${numbers}`);
  }
  if (alias !== undefined && !STAGE_NAME.test(alias)) {
    problem(`the stage name ${alias} is not allowed: start it with a letter, then letters, digits, "-", "_" or "."`);
  } else if (alias !== undefined && book.isStage(alias)) {
    // checkStageNameAvailable: the engine refuses a second stage of the same name.
    problem(`the stage name ${alias} is already used: give each stage its own name`);
  }
  book.startStage(alias);
  // An image's own WORKDIR is not known here: "/" is the worst case, since a relative path that reaches
  // /proc from some directory passes through "/" and so reaches /proc from "/" as well.
  place.workdir = '/';
}
