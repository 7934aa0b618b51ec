// The Dockerfile rules of the lab, checked before a build: learner images start FROM a lab image,
// fetch nothing and reach nothing outside their build. Each problem names its line. The rules judge
// what Docker 20.10's classic builder will do, not how the text looks: lines, flags, words, quotes,
// JSON and stages are read as the engine reads them (dockerfile-parser, -flags, -words, -stages), and
// a value that is only known during the build (a variable, an escape) is refused where it matters.
import { extractBuilderFlags, type BuilderFlag } from './dockerfile-flags';
import { checkCopy } from './dockerfile-copy-rule';
import { checkFrom } from './dockerfile-from-rule';
import { healthcheckFlagProblems } from './dockerfile-healthcheck';
import { checkLabel } from './dockerfile-label-rule';
import { readDockerfile, splitCommand } from './dockerfile-parser';
import { checkWorkdir } from './dockerfile-path-rules';
import type { DockerfileReading } from './dockerfile-reading';
import { StageBook } from './dockerfile-stages';
import type { Rejection } from './learner-files';

export { HEALTHCHECK_MIN_INTERVAL_MS } from './dockerfile-healthcheck';
export { parseDockerfile, type Instruction } from './dockerfile-parser';
export { imageReferences, type ImageReference } from './dockerfile-stages';

const KNOWN = new Set([
  'FROM',
  'RUN',
  'CMD',
  'LABEL',
  'MAINTAINER',
  'EXPOSE',
  'ENV',
  'ADD',
  'COPY',
  'ENTRYPOINT',
  'VOLUME',
  'USER',
  'WORKDIR',
  'ARG',
  'ONBUILD',
  'STOPSIGNAL',
  'HEALTHCHECK',
  'SHELL',
]);

/** The flags an instruction may carry in the lab; every other flag is refused (the engine refuses or ignores it). */
const ALLOWED_FLAGS: Record<string, string[]> = {
  ADD: ['chown', 'chmod'],
  COPY: ['chown', 'chmod', 'from'],
  HEALTHCHECK: ['interval', 'timeout', 'start-period', 'start-interval', 'retries'],
};

/** What the engine refuses after ONBUILD (instructions.parseOnBuild). */
const NOT_TRIGGERS = new Set(['ONBUILD', 'FROM', 'MAINTAINER']);

/** Problems with a Dockerfile under the lab's rules; empty when it may be built. */
export function checkDockerfile(text: string, labImages: string[], file = 'Dockerfile'): Rejection[] {
  const problems: Rejection[] = [];
  const { instructions, directives, unterminated } = readDockerfile(text);
  if (unterminated) {
    problems.push({
      file,
      line: instructions.at(-1)?.line,
      message: 'the last instruction ends with a line continuation (\\) and nothing after it',
    });
  }
  for (const { line, name } of directives) {
    problems.push({
      file,
      line,
      message: `the parser directive "# ${name}=" is not allowed here: the lab chooses the builder`,
    });
  }
  // Bytes that are not UTF-8 reach the rules as U+FFFD but the engine as bytes (0xA0 is a space to it).
  const undecodable = text.indexOf('\uFFFD');
  if (undecodable >= 0) {
    const line = text.slice(0, undecodable).split('\n').length;
    problems.push({
      file,
      line,
      message: 'this line holds bytes that are not UTF-8 text (shown as \uFFFD): save the Dockerfile as UTF-8',
    });
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
    if (!pastMetaArgs && keyword !== 'FROM' && keyword !== 'ARG')
      problem('the first instruction must be FROM (for example FROM lab/node)');
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

function checkInstruction(keyword: string, rest: string, reading: DockerfileReading): void {
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

/**
 * VOLUME is refused: a container's volume lives outside its writable layer, where the lab measures
 * what a container writes, so an image with one would let its containers fill the host's disk.
 */
function checkVolume(_args: string, reading: DockerfileReading): void {
  reading.problem(
    'VOLUME is not available in the lab: a container keeps its files in its own filesystem, where the lab can measure them; write to the folder without declaring a volume',
  );
}

/**
 * An ONBUILD trigger is stored as text and run at the start of a later build FROM this image (also a
 * later stage of this file), so it gets the same rules. instructions.parseOnBuild refuses ONBUILD, FROM
 * and MAINTAINER as triggers. Its working directory is not known here: "/" is the worst case.
 */
function checkOnbuild(args: string, reading: DockerfileReading): void {
  if (args === '') {
    reading.problem('ONBUILD needs an instruction, for example ONBUILD COPY . /app');
    return;
  }
  const trigger = splitCommand(args);
  if (NOT_TRIGGERS.has(trigger.keyword)) {
    reading.problem(`ONBUILD ${trigger.keyword} is not allowed: the engine takes no ${trigger.keyword} as a trigger`);
  } else if (trigger.keyword === 'ADD') {
    // A trigger runs in a later build, on a context this check never sees: ADD could unpack an archive there.
    reading.problem(
      'ONBUILD ADD is not available in the lab: use ONBUILD COPY (ADD would unpack archives inside the engine)',
    );
  } else if (!KNOWN.has(trigger.keyword)) {
    reading.problem(`ONBUILD: ${unknownInstruction(trigger.keyword)}`);
  } else {
    const problem = (message: string) => reading.problem(`ONBUILD ${message}`);
    checkInstruction(trigger.keyword, trigger.rest, { ...reading, place: { workdir: '/' }, trigger: true, problem });
  }
}
