// The Dockerfile rules of the lab, checked before a build: learner images start FROM a lab image,
// fetch nothing and reach nothing outside their build. Each problem names its line. The rules judge
// what Docker 20.10's classic builder will do, not how the text looks: lines, flags, words, quotes,
// JSON and stages are read as the engine reads them (dockerfile-parser, -flags, -words, -stages), and
// a value that is only known during the build (a variable, an escape) is refused where it matters.
import path from 'node:path';
import { extractBuilderFlags, type BuilderFlag } from './dockerfile-flags';
import { healthcheckFlagProblems } from './dockerfile-healthcheck';
import { readDockerfile, splitCommand } from './dockerfile-parser';
import { copySource, fromWords, STAGE_NAME, StageBook } from './dockerfile-stages';
import { labelKeys, trimGoSpace, trimLeftGoSpace, WORD_PROBLEM_TEXT, wordList, wordValue } from './dockerfile-words';
import type { Rejection } from './learner-files';

export { HEALTHCHECK_MIN_INTERVAL_MS } from './dockerfile-healthcheck';
export { parseDockerfile, type Instruction } from './dockerfile-parser';
export { imageReferences, type ImageReference } from './dockerfile-stages';

const KNOWN = new Set([
  'FROM', 'RUN', 'CMD', 'LABEL', 'MAINTAINER', 'EXPOSE', 'ENV', 'ADD', 'COPY', 'ENTRYPOINT', 'VOLUME',
  'USER', 'WORKDIR', 'ARG', 'ONBUILD', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL',
]);

/** The flags an instruction may carry in the lab; every other flag is refused (the engine refuses or ignores it). */
const ALLOWED_FLAGS: Record<string, string[]> = {
  ADD: ['chown', 'chmod'],
  COPY: ['chown', 'chmod', 'from'],
  HEALTHCHECK: ['interval', 'timeout', 'start-period', 'start-interval', 'retries'],
};

/** What the engine refuses after ONBUILD (instructions.parseOnBuild). */
const NOT_TRIGGERS = new Set(['ONBUILD', 'FROM', 'MAINTAINER']);

const FORBIDDEN_PATH = /^\/(proc|sys)(\/|$)/;

/** A source the engine would fetch (it fetches http:// and https://; any scheme:// and git@ are refused alike). */
const REMOTE_SOURCE = /^([a-z][a-z0-9+.-]*:\/\/|git@)/i;

/** Where one instruction is read: the file's stages, the working directory, inside ONBUILD or not. */
interface Reading {
  labImages: string[];
  book: StageBook;
  place: { workdir: string };
  /** The instruction is an ONBUILD trigger: it runs at the start of a later build, not in this one. */
  trigger: boolean;
  problem: (message: string) => void;
}

/** Problems with a Dockerfile under the lab's rules; empty when it may be built. */
export function checkDockerfile(text: string, labImages: string[], file = 'Dockerfile'): Rejection[] {
  const problems: Rejection[] = [];
  const { instructions, directives, unterminated } = readDockerfile(text);
  if (unterminated) {
    problems.push({ file, line: instructions.at(-1)?.line, message: 'the last instruction ends with a line continuation (\\) and nothing after it' });
  }
  for (const { line, name } of directives) {
    problems.push({ file, line, message: `the parser directive "# ${name}=" is not allowed here: the lab chooses the builder` });
  }
  // Bytes that are not UTF-8 reach the rules as U+FFFD but the engine as bytes (0xA0 is a space to it).
  const undecodable = text.indexOf('\uFFFD');
  if (undecodable >= 0) {
    const line = text.slice(0, undecodable).split('\n').length;
    problems.push({ file, line, message: 'this line holds bytes that are not UTF-8 text (shown as \uFFFD): save the Dockerfile as UTF-8' });
  }
  if (instructions.length === 0) {
    problems.push({ file, line: 1, message: 'the Dockerfile has no instructions; start with FROM lab/node' });
    return problems;
  }
  const book = new StageBook();
  const place = { workdir: '/' };
  let pastMetaArgs = false;
  for (const { line, keyword, rest } of instructions) {
    const problem = (message: string) => problems.push({ file, line, message });
    if (!KNOWN.has(keyword)) {
      problem(unknownInstruction(keyword));
      continue;
    }
    // Only ARG may come before the first FROM (instructions.Parse: meta args); said once.
    if (!pastMetaArgs && keyword !== 'FROM' && keyword !== 'ARG') problem('the first instruction must be FROM (for example FROM lab/node)');
    if (keyword !== 'ARG') pastMetaArgs = true;
    checkInstruction(keyword, rest, { labImages, book, place, trigger: false, problem });
  }
  return problems;
}

/**
 * Go's ToLower turns U+0130 and the Kelvin sign into "i" and "k", so the engine runs "WOR\u212ADIR" as
 * WORKDIR; splitCommand keeps such a keyword as written, and it is refused here with the reason.
 */
function unknownInstruction(keyword: string): string {
  const plain = /^[\x00-\x7f]*$/.test(keyword) ? '' : ': write instruction names in plain ASCII letters';
  return `unknown instruction "${keyword}"${plain}`;
}

function checkInstruction(keyword: string, rest: string, reading: Reading): void {
  const { flags, args, nonAscii } = extractBuilderFlags(rest);
  const { problem } = reading;
  if (nonAscii) {
    problem(`${keyword} flags may hold ASCII characters only: write --name=value in plain letters`);
    return;
  }
  checkFlagNames(keyword, flags, problem);
  switch (keyword) {
    case 'FROM':
      return checkFrom(args, reading);
    case 'ADD':
    case 'COPY':
      return checkCopy(keyword, flags, args, reading);
    case 'LABEL':
      return checkLabel(args, problem);
    case 'WORKDIR':
      return checkWorkdir(args, reading);
    case 'VOLUME':
      return checkVolume(args, reading);
    case 'HEALTHCHECK':
      return healthcheckFlagProblems(flags).forEach(problem);
    case 'ONBUILD':
      return checkOnbuild(args, reading);
  }
}

function checkFlagNames(keyword: string, flags: BuilderFlag[], problem: (message: string) => void): void {
  const seen = new Set<string>();
  for (const { name } of flags) {
    if (!(ALLOWED_FLAGS[keyword] ?? []).includes(name)) {
      const why = keyword === 'RUN' ? ': builds get no mounts, network or extra privileges' : '';
      problem(`${keyword} --${name} is not allowed${why}`);
    } else if (seen.has(name)) {
      problem(`${keyword} --${name} is given twice: keep one`);
    }
    seen.add(name);
  }
}

/** The image a FROM or COPY --from may name: exactly a lab image (or the caller's allowed images), with or without :latest. */
function isAllowedImage(name: string, labImages: string[]): boolean {
  const lower = name.toLowerCase();
  return labImages.some((image) => lower === image || lower === `${image}:latest`);
}

/** The value of an image name written plainly; undefined when quotes, escapes or variables make it differ from its text. */
function plainName(word: string): string | undefined {
  const read = wordValue(word);
  return 'value' in read && read.value === word ? read.value : undefined;
}

function checkFrom(args: string, { labImages, book, place, problem }: Reading): void {
  const { image, alias, wellFormed } = fromWords(args);
  book.endStage();
  if (image === undefined) {
    problem('FROM needs an image, for example FROM lab/node');
  } else if (!wellFormed) {
    problem(`FROM takes an image and, optionally, AS and a stage name: for example FROM ${image} AS build`);
  } else if (plainName(image) === undefined) {
    problem(`FROM ${image} is not allowed: write the image name out, without variables, quotes or escapes (for example FROM lab/node)`);
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

function checkCopy(keyword: 'ADD' | 'COPY', flags: BuilderFlag[], args: string, reading: Reading): void {
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
    problem(`${keyword} sources with ${WORD_PROBLEM_TEXT[unknown.problem]} are not allowed here: write the file name out`);
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
    problem(`${keyword} destinations with ${WORD_PROBLEM_TEXT[target.problem]} are not allowed here: write the path out`);
  } else if (target && forbiddenTarget(target.value, reading)) {
    problem(`${keyword} into ${list.words.at(-1)} is not allowed: /proc and /sys belong to the kernel`);
  }
}

function checkCopyFrom(flag: BuilderFlag, { labImages, book, trigger, problem }: Reading): void {
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
  const later = 'a trigger runs in a later build, where stage names and numbers are that build\'s';
  switch (copySource(value, book, trigger)) {
    case 'stage':
    case 'stage-number':
      return;
    case 'this-stage':
      return problem(`COPY --from=${value} is not allowed: it names the stage it is in, which the engine reads as an image; copy from a stage above`);
    case 'bad-number':
      return problem(`COPY --from=${value} is not allowed: a stage number is written 0, 1, 2, ... and names a stage above this one`);
    case 'trigger-stage':
      return problem(`COPY --from=${value} is not allowed here: ${later}; copy from a lab image`);
    case 'image':
      if (isAllowedImage(value, labImages)) return;
      if (trigger) return problem(`COPY --from=${value} is not allowed here: ${later}; copy from a lab image (${labImages.join(', ')})`);
      return problem(`COPY --from=${value} is not allowed: copy from a stage or a lab image`);
  }
}

function checkLabel(args: string, problem: (message: string) => void): void {
  const keys = labelKeys(args);
  if (!keys) {
    problem('LABEL takes key=value pairs, for example LABEL maintainer="you"');
    return;
  }
  // LabelCommand.Expand lexes the keys: "lab.owner", l'ab'.owner and lab.owner are the same key.
  for (const key of keys) {
    const read = wordValue(key);
    if ('problem' in read) {
      problem(`LABEL keys with ${WORD_PROBLEM_TEXT[read.problem]} are not allowed here: write the key out`);
    } else if (/^lab\./i.test(read.value)) {
      problem(`LABEL ${read.value} is not allowed: keys starting with "lab." are the lab's own; use another prefix, for example app.`);
    }
  }
}

/** Where a path lands from the current working directory is /proc or /sys (or under them). */
function forbiddenTarget(target: string, { place }: Reading): boolean {
  return FORBIDDEN_PATH.test(path.posix.resolve(place.workdir, target));
}

function checkWorkdir(args: string, reading: Reading): void {
  const read = wordValue(args);
  if ('problem' in read) {
    reading.problem(`WORKDIR with ${WORD_PROBLEM_TEXT[read.problem]} is not allowed here: write the path out`);
  } else if (forbiddenTarget(read.value, reading)) {
    reading.problem(`WORKDIR ${args} is not allowed: /proc and /sys belong to the kernel`);
  } else {
    reading.place.workdir = path.posix.resolve(reading.place.workdir, read.value);
  }
}

/**
 * VOLUME is refused: a container's volume lives outside its writable layer, where the lab measures
 * what a container writes, so an image with one would let its containers fill the host's disk.
 */
function checkVolume(_args: string, reading: Reading): void {
  reading.problem('VOLUME is not available in the lab: a container keeps its files in its own filesystem, where the lab can measure them; write to the folder without declaring a volume');
}

/**
 * An ONBUILD trigger is stored as text and run at the start of a later build FROM this image (also a
 * later stage of this file), so it gets the same rules. instructions.parseOnBuild refuses ONBUILD, FROM
 * and MAINTAINER as triggers. Its working directory is not known here: "/" is the worst case.
 */
function checkOnbuild(args: string, reading: Reading): void {
  if (args === '') {
    reading.problem('ONBUILD needs an instruction, for example ONBUILD COPY . /app');
    return;
  }
  const trigger = splitCommand(args);
  if (NOT_TRIGGERS.has(trigger.keyword)) {
    reading.problem(`ONBUILD ${trigger.keyword} is not allowed: the engine takes no ${trigger.keyword} as a trigger`);
  } else if (trigger.keyword === 'ADD') {
    // A trigger runs in a later build, on a context this check never sees: ADD could unpack an archive there.
    reading.problem('ONBUILD ADD is not available in the lab: use ONBUILD COPY (ADD would unpack archives inside the engine)');
  } else if (!KNOWN.has(trigger.keyword)) {
    reading.problem(`ONBUILD: ${unknownInstruction(trigger.keyword)}`);
  } else {
    const problem = (message: string) => reading.problem(`ONBUILD ${message}`);
    checkInstruction(trigger.keyword, trigger.rest, { ...reading, place: { workdir: '/' }, trigger: true, problem });
  }
}
