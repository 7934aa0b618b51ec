// The rules of ADD and COPY: sources are the exercise's files (or a stage's, or a lab image's), never a
// URL, and nothing lands in /proc or /sys.
import type { BuilderFlag } from './dockerfile-flags';
import { isAllowedImage } from './dockerfile-from-rule';
import { forbiddenTarget } from './dockerfile-path-rules';
import type { DockerfileReading } from './dockerfile-reading';
import { copySource } from './dockerfile-stages';
import { trimLeftGoSpace, WORD_PROBLEM_TEXT, wordList, wordValue } from './dockerfile-words';

/** A source the engine would fetch (it fetches http:// and https://; any scheme:// and git@ are refused alike). */
const REMOTE_SOURCE = /^([a-z][a-z0-9+.-]*:\/\/|git@)/i;

/** ADD and COPY: their sources and destination, each read as the engine reads it. */
export function checkCopy(
  keyword: 'ADD' | 'COPY',
  flags: BuilderFlag[],
  args: string,
  reading: DockerfileReading,
): void {
  const { problem } = reading;
  const from = keyword === 'COPY' ? flags.find((flag) => flag.name === 'from') : undefined;
  if (from) checkCopyFrom(from, reading);
  // The sources and destination are lexed one by one (AddCommand/CopyCommand.Expand), JSON form included.
  const list = wordList(args);
  if (list.form === 'json-not-strings') {
    problem(`${keyword} in JSON form takes strings only, for example ${keyword} ["server.js", "/app/"]`);
    return;
  }
  const values = list.words.map(wordValue);
  const sources = values.slice(0, -1);
  const unknown = sources.find((source) => 'problem' in source);
  if (unknown && 'problem' in unknown) {
    problem(
      `${keyword} sources with ${WORD_PROBLEM_TEXT[unknown.problem]} are not allowed here: write the file name out`,
    );
  }
  const known = sources.flatMap((source) => ('value' in source ? [source.value] : []));
  if (known.some((source) => REMOTE_SOURCE.test(trimLeftGoSpace(source)))) {
    problem(`${keyword} of a URL is not allowed: builds have no network; put the file in the exercise instead`);
  } else if (!from?.value && known.some((source) => source.startsWith('/') || source.split('/').includes('..'))) {
    // Sources come from the exercise files, unless copied from a stage or image (where paths are absolute);
    // an empty --from= is no --from to the engine (dispatchCopy tests c.From != "").
    problem(`${keyword} sources must be files of the exercise (no absolute paths, no "..")`);
  }
  const target = values.at(-1);
  if (target && 'problem' in target) {
    problem(
      `${keyword} destinations with ${WORD_PROBLEM_TEXT[target.problem]} are not allowed here: write the path out`,
    );
  } else if (target && forbiddenTarget(target.value, reading)) {
    problem(`${keyword} into ${list.words.at(-1)} is not allowed: /proc and /sys belong to the kernel`);
  }
}

function checkCopyFrom(flag: BuilderFlag, { labImages, book, trigger, problem }: DockerfileReading): void {
  const { value, text } = flag;
  if (!value) {
    problem('COPY --from needs a stage name or a lab image');
    return;
  }
  // CopyCommand.Expand does not lex --from: the flag's own quotes and escapes are its only processing.
  if (!flag.plain || value.includes('$')) {
    problem(`COPY ${text} is not allowed: write the stage name or image out, without variables, quotes or escapes`);
    return;
  }
  const later = "a trigger runs in a later build, where stage names and numbers are that build's";
  switch (copySource(value, book, trigger)) {
    case 'stage':
    case 'stage-number':
      return;
    case 'this-stage':
      return problem(
        `COPY --from=${value} is not allowed: it names the stage it is in, which the engine reads as an image; copy from a stage above`,
      );
    case 'bad-number':
      return problem(
        `COPY --from=${value} is not allowed: a stage number is written 0, 1, 2, ... and names a stage above this one`,
      );
    case 'trigger-stage':
      return problem(`COPY --from=${value} is not allowed here: ${later}; copy from a lab image`);
    case 'image':
      if (isAllowedImage(value, labImages)) return;
      if (trigger)
        return problem(
          `COPY --from=${value} is not allowed here: ${later}; copy from a lab image (${labImages.join(', ')})`,
        );
      return problem(`COPY --from=${value} is not allowed: copy from a stage or a lab image`);
  }
}
