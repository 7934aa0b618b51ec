import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkDockerfile, parseDockerfile } from './dockerfile-rules';

const LAB_IMAGES = ['lab/node'];

/** The problems of a Dockerfile given as lines. */
function check(...lines: string[]) {
  return checkDockerfile(lines.join('\n'), LAB_IMAGES);
}

/** The 1-based lines named by the problems, in order. */
function linesOf(problems: ReturnType<typeof checkDockerfile>): (number | undefined)[] {
  return problems.map((problem) => problem.line);
}

/** Asserts exactly one problem, on `line`, whose message matches `message`. */
function assertOneProblem(problems: ReturnType<typeof checkDockerfile>, line: number, message: RegExp) {
  assert.equal(problems.length, 1, `expected one problem, got ${JSON.stringify(problems)}`);
  assert.equal(problems[0].file, 'Dockerfile');
  assert.equal(problems[0].line, line);
  assert.match(problems[0].message, message);
}

// --- parseDockerfile ---------------------------------------------------------------------------

test('parseDockerfile returns each instruction with its 1-based line, upper-cased keyword and args', () => {
  const parsed = parseDockerfile('from lab/node\n\nWORKDIR /app\nCMD ["node", "server.js"]\n');
  assert.deepEqual(parsed.instructions, [
    { line: 1, keyword: 'FROM', args: 'lab/node' },
    { line: 3, keyword: 'WORKDIR', args: '/app' },
    { line: 4, keyword: 'CMD', args: '["node", "server.js"]' },
  ]);
  assert.deepEqual(parsed.directives, []);
  assert.equal(parsed.unterminated, false);
});

// The engine joins continued lines as they are: the backslash goes, nothing is added, the next line's
// indentation stays (parser.Parse). Joining with a space hid `ADD http:\` + `//host/x /x`.
test('parseDockerfile joins continuation lines into the instruction that starts them, as the engine does', () => {
  const parsed = parseDockerfile('FROM lab/node\nRUN a \\\n  && b \\\n  && c\nCMD x\n');
  assert.deepEqual(parsed.instructions, [
    { line: 1, keyword: 'FROM', args: 'lab/node' },
    { line: 2, keyword: 'RUN', args: 'a   && b   && c' },
    { line: 5, keyword: 'CMD', args: 'x' },
  ]);
  assert.equal(parseDockerfile('FROM lab/node\nADD http:\\\n//host/x /x\n').instructions[1].args, 'http://host/x /x');
});

test('parseDockerfile skips comment lines and blank lines', () => {
  const parsed = parseDockerfile('# a comment\nFROM lab/node\n\n   # indented comment\nCMD x\n');
  assert.deepEqual(
    parsed.instructions.map((i) => [i.line, i.keyword]),
    [
      [2, 'FROM'],
      [5, 'CMD'],
    ],
  );
  assert.deepEqual(parsed.directives, []);
});

// Known bug (see report): Docker removes comment lines before joining continuations, so a comment
// inside a continued RUN is allowed; the lab ends the instruction at the comment instead.
test('parseDockerfile drops a comment line inside a continuation and keeps joining', () => {
  const parsed = parseDockerfile('FROM lab/node\nRUN echo a \\\n# explain b\n  && echo b\nCMD x\n');
  assert.deepEqual(parsed.instructions, [
    { line: 1, keyword: 'FROM', args: 'lab/node' },
    { line: 2, keyword: 'RUN', args: 'echo a   && echo b' },
    { line: 5, keyword: 'CMD', args: 'x' },
  ]);
});

test('parseDockerfile reports parser directives at the top apart from instructions', () => {
  const parsed = parseDockerfile('# syntax=docker/dockerfile:1\n# Escape=`\nFROM lab/node\n');
  assert.deepEqual(parsed.directives, [
    { line: 1, name: 'syntax' },
    { line: 2, name: 'escape' },
  ]);
  assert.deepEqual(parsed.instructions, [{ line: 3, keyword: 'FROM', args: 'lab/node' }]);
});

test('parseDockerfile treats a directive-like comment after an instruction as a plain comment', () => {
  const parsed = parseDockerfile('FROM lab/node\n# syntax=docker/dockerfile:1\nCMD x\n');
  assert.deepEqual(parsed.directives, []);
  assert.equal(parsed.instructions.length, 2);
});

test('parseDockerfile marks a file whose last line ends with a backslash as unterminated', () => {
  const parsed = parseDockerfile('FROM lab/node\nRUN true \\');
  assert.equal(parsed.unterminated, true);
  assert.deepEqual(parsed.instructions.at(-1), { line: 2, keyword: 'RUN', args: 'true' });
});

test('parseDockerfile accepts Windows line endings', () => {
  const parsed = parseDockerfile('FROM lab/node\r\nRUN a \\\r\n  && b\r\nCMD x\r\n');
  assert.deepEqual(parsed.instructions, [
    { line: 1, keyword: 'FROM', args: 'lab/node' },
    { line: 2, keyword: 'RUN', args: 'a   && b' },
    { line: 4, keyword: 'CMD', args: 'x' },
  ]);
});

// --- FROM --------------------------------------------------------------------------------------

test('FROM a lab image is accepted, with or without :latest', () => {
  assert.deepEqual(check('FROM lab/node', 'CMD ["node"]'), []);
  assert.deepEqual(check('FROM lab/node:latest', 'CMD ["node"]'), []);
  assert.deepEqual(check('from LAB/NODE', 'CMD ["node"]'), []);
});

test('FROM an image that is not a lab image is refused on its line', () => {
  assertOneProblem(check('FROM node:20', 'CMD ["node"]'), 1, /FROM node:20 is not allowed.*lab\/node/);
  assertOneProblem(check('FROM ubuntu'), 1, /FROM ubuntu is not allowed/);
  assertOneProblem(check('FROM lab/node:20'), 1, /FROM lab\/node:20 is not allowed/);
  assertOneProblem(check('FROM docker.io/lab/node'), 1, /not allowed/);
});

test('a later FROM of a foreign image is refused on its own line', () => {
  assertOneProblem(check('FROM lab/node', 'RUN true', '', 'FROM alpine', 'CMD x'), 4, /FROM alpine is not allowed/);
});

test('FROM without an image is refused', () => {
  assertOneProblem(check('FROM', 'CMD x'), 1, /FROM needs an image/);
});

test('FROM with a flag such as --platform is refused', () => {
  assertOneProblem(check('FROM --platform=linux/amd64 lab/node'), 1, /FROM --platform is not allowed/);
});

test('a multi-stage build FROM lab images may name stages and build FROM them', () => {
  assert.deepEqual(check('FROM lab/node AS build', 'RUN echo hi > /out', 'FROM build', 'CMD x'), []);
});

test('COPY --from a named stage of the same Dockerfile is accepted', () => {
  assert.deepEqual(check('FROM lab/node AS build', 'WORKDIR /src', 'FROM lab/node', 'COPY --from=build src/out ./out', 'CMD x'), []);
  assert.deepEqual(check('FROM lab/node as Build', 'FROM lab/node', 'COPY --from=build out ./out'), []);
});

// Known bug (see report): absolute sources are refused even with --from, though copying absolute
// paths out of another stage or a lab image is how multi-stage builds are written.
test('COPY --from a stage with an absolute source path is accepted', () => {
  assert.deepEqual(check('FROM lab/node AS build', 'RUN mkdir /out', 'FROM lab/node', 'COPY --from=build /out /app/out'), []);
});

test('COPY --from an image that is neither a stage nor a lab image is refused on its line', () => {
  assertOneProblem(check('FROM lab/node', 'WORKDIR /app', 'COPY --from=alpine etc/passwd ./'), 3, /COPY --from=alpine is not allowed/);
});

test('COPY --from a stage name defined only later is refused', () => {
  const problems = check('FROM lab/node', 'COPY --from=later out ./', 'FROM lab/node AS later');
  assertOneProblem(problems, 2, /COPY --from=later is not allowed/);
});

test('COPY --from a lab image is accepted', () => {
  assert.deepEqual(check('FROM lab/node', 'COPY --from=lab/node usr/bin/node ./node'), []);
});

// --- ADD, COPY ---------------------------------------------------------------------------------

test('ADD of a URL is refused on its line', () => {
  assertOneProblem(check('FROM lab/node', 'ADD https://example.com/x.tar.gz /tmp/'), 2, /ADD of a URL is not allowed/);
  assertOneProblem(check('FROM lab/node', 'ADD git@github.com:a/b.git /src'), 2, /ADD of a URL is not allowed/);
  assertOneProblem(check('FROM lab/node', 'COPY http://example.com/a ./'), 2, /COPY of a URL is not allowed/);
});

test('ADD and COPY of exercise files are accepted', () => {
  assert.deepEqual(check('FROM lab/node', 'ADD server.js /app/', 'COPY a.js b.js ./', 'COPY ["c.js", "/app/c.js"]'), []);
  assert.deepEqual(check('FROM lab/node', 'COPY --chown=1000:1000 --chmod=755 run.sh /app/'), []);
});

test('COPY or ADD with an absolute source path is refused', () => {
  assertOneProblem(check('FROM lab/node', 'COPY /etc/passwd ./'), 2, /sources must be files of the exercise/);
  assertOneProblem(check('FROM lab/node', 'ADD ["/etc/hosts", "./"]'), 2, /sources must be files of the exercise/);
});

test('COPY with a ".." source is refused', () => {
  assertOneProblem(check('FROM lab/node', 'COPY ../secret ./'), 2, /no "\.\."/);
  assertOneProblem(check('FROM lab/node', 'COPY a/../../b ./'), 2, /no "\.\."/);
});

test('COPY into /proc or /sys is refused, but a path merely starting with those letters is not', () => {
  assertOneProblem(check('FROM lab/node', 'COPY x /proc/x'), 2, /COPY into \/proc\/x is not allowed/);
  assertOneProblem(check('FROM lab/node', 'ADD x /sys'), 2, /ADD into \/sys is not allowed/);
  assert.deepEqual(check('FROM lab/node', 'COPY x /process/x', 'COPY y /system/'), []);
});

test('COPY with a flag other than --from, --chown or --chmod is refused', () => {
  assertOneProblem(check('FROM lab/node', 'COPY --link a.js ./'), 2, /COPY --link is not allowed/);
});

// --- RUN ---------------------------------------------------------------------------------------

test('RUN --mount is refused on its line', () => {
  assertOneProblem(check('FROM lab/node', 'WORKDIR /app', 'RUN --mount=type=cache,target=/x true'), 3, /RUN --mount is not allowed/);
});

test('RUN --network is refused on its line', () => {
  assertOneProblem(check('FROM lab/node', 'RUN --network=host wget example.com'), 2, /RUN --network is not allowed/);
});

test('RUN --security is refused', () => {
  assertOneProblem(check('FROM lab/node', 'RUN --security=insecure true'), 2, /RUN --security is not allowed/);
});

test('plain RUN commands are accepted, including ones with dashes after the command', () => {
  assert.deepEqual(check('FROM lab/node', 'RUN npm install --network=none --mount=x', 'RUN ["sh", "-c", "true"]'), []);
});

// --- WORKDIR, VOLUME ---------------------------------------------------------------------------

test('WORKDIR under /proc or /sys is refused on its line', () => {
  assertOneProblem(check('FROM lab/node', 'WORKDIR /proc/self'), 2, /WORKDIR \/proc\/self is not allowed/);
  assertOneProblem(check('FROM lab/node', 'RUN true', 'WORKDIR /sys'), 3, /WORKDIR \/sys is not allowed/);
  assertOneProblem(check('FROM lab/node', 'WORKDIR /proc'), 2, /not allowed/);
});

test('WORKDIR elsewhere is accepted', () => {
  assert.deepEqual(check('FROM lab/node', 'WORKDIR /app', 'WORKDIR /srv/procedures'), []);
});

test('VOLUME is refused: a volume is outside the layer the disk limit measures', () => {
  assertOneProblem(check('FROM lab/node', 'VOLUME ["/data", "/sys/fs"]'), 2, /VOLUME is not available in the lab/);
  assertOneProblem(check('FROM lab/node', 'VOLUME /data'), 2, /VOLUME is not available in the lab/);
  assertOneProblem(check('FROM lab/node', 'ONBUILD VOLUME /data'), 2, /ONBUILD VOLUME is not available/);
});

// --- structure ---------------------------------------------------------------------------------

test('a parser directive such as # syntax= is refused on its line', () => {
  assertOneProblem(check('# syntax=docker/dockerfile:1', 'FROM lab/node'), 1, /parser directive "# syntax=" is not allowed/);
  assertOneProblem(check('# check=skip=all', '# escape=`', 'FROM lab/node').slice(1), 2, /"# escape="/);
});

test('an unknown instruction is refused on its line', () => {
  assertOneProblem(check('FROM lab/node', 'WORKDIR /app', 'RUNN true'), 3, /unknown instruction "RUNN"/);
});

test('a first instruction other than FROM is refused', () => {
  assertOneProblem(check('', '# hello', 'RUN true', 'FROM lab/node'), 3, /first instruction must be FROM/);
});

test('ARG before FROM is accepted as the first instruction', () => {
  assert.deepEqual(check('ARG VERSION=1', 'FROM lab/node', 'CMD x'), []);
});

test('an empty Dockerfile is refused on line 1', () => {
  assertOneProblem(checkDockerfile('', LAB_IMAGES), 1, /no instructions/);
  assertOneProblem(check('# only a comment', '', '   '), 1, /no instructions/);
});

test('a line after a continued instruction is refused with its own line number', () => {
  const problems = check('FROM lab/node', 'RUN a \\', '  && b \\', '  && c', 'FROM ubuntu');
  assertOneProblem(problems, 5, /FROM ubuntu is not allowed/);
});

test('a bad continued instruction is refused on the line where it starts', () => {
  const problems = check('FROM lab/node', 'RUN true', 'RUN --network=host \\', '  curl x', 'CMD y');
  assertOneProblem(problems, 3, /RUN --network is not allowed/);
});

test('comment lines count towards the line numbers of later problems', () => {
  const problems = check('# first', 'FROM lab/node', '# second', '', '# third', 'ADD https://x.example/y /y');
  assertOneProblem(problems, 6, /URL is not allowed/);
});

test('a Dockerfile whose last line ends with a backslash is refused', () => {
  const problems = checkDockerfile('FROM lab/node\nCMD ["node"]\nRUN true \\', LAB_IMAGES);
  assertOneProblem(problems, 3, /line continuation/);
});

// Known bug (see report): with a trailing newline (how editors save files) the final empty line ends
// the instruction, so the continuation is not detected, and the lab's LABEL line gets joined to it.
test('a Dockerfile whose last instruction ends with a backslash and a newline is refused', () => {
  const problems = checkDockerfile('FROM lab/node\nRUN true \\\n', LAB_IMAGES);
  assert.equal(problems.length, 1);
  assert.match(problems[0].message, /line continuation/);
});

test('every problem is reported, each on its own line', () => {
  const problems = check('FROM ubuntu', 'ADD https://x.example/y /y', 'RUN --mount=type=ssh true', 'WORKDIR /sys/kernel', 'BOGUS x');
  assert.deepEqual(linesOf(problems), [1, 2, 3, 4, 5]);
});

test('the file name given is used in every problem', () => {
  const problems = checkDockerfile('FROM ubuntu', LAB_IMAGES, 'Dockerfile.dev');
  assert.equal(problems.length, 1);
  assert.equal(problems[0].file, 'Dockerfile.dev');
});

// --- the curriculum's own Dockerfiles ------------------------------------------------------------

function lessonDockerfiles(): string[] {
  const root = fileURLToPath(new URL('../../lessons', import.meta.url));
  return fs
    .readdirSync(root, { recursive: true })
    .map(String)
    .filter((file) => path.basename(file) === 'Dockerfile')
    .map((file) => path.join(root, file))
    .sort();
}

test('the lessons contain Dockerfiles to check', () => {
  assert.ok(lessonDockerfiles().length >= 10, 'expected the lessons folder to hold the exercises');
});

test('every Dockerfile of the lessons (starters, solutions, alternatives, wrong cases) is accepted', () => {
  for (const file of lessonDockerfiles()) {
    assert.deepEqual(checkDockerfile(fs.readFileSync(file, 'utf8'), LAB_IMAGES), [], `${file} was refused`);
  }
});

test('/proc cannot be reached through a relative WORKDIR, a doubled slash, quotes or a variable', () => {
  const lines = (text: string) => checkDockerfile(text, ['lab/node']).map((problem) => problem.line);
  assert.deepEqual(lines('FROM lab/node\nWORKDIR /\nWORKDIR proc\n'), [3]);
  assert.deepEqual(lines('FROM lab/node\nWORKDIR //proc\n'), [2]);
  assert.deepEqual(lines('FROM lab/node\nWORKDIR "/proc"\n'), [2]);
  assert.deepEqual(lines('FROM lab/node\nWORKDIR /app/../proc\n'), [2]);
  assert.deepEqual(lines('FROM lab/node\nENV D=/proc\nWORKDIR $D\n'), [3]);
  assert.deepEqual(lines('FROM lab/node\nWORKDIR /\nCOPY x sys/x\n'), [3]);
  assert.deepEqual(lines('FROM lab/node\nWORKDIR /app\nCOPY x proc/x\n'), []);
});

test('COPY --from takes a stage number that exists, and says so when the value is missing', () => {
  assert.deepEqual(checkDockerfile('FROM lab/node\nFROM lab/node\nCOPY --from=0 /app /app\n', ['lab/node']), []);
  assert.match(checkDockerfile('FROM lab/node\nCOPY --from=3 /app /app\n', ['lab/node'])[0].message, /--from=3 is not allowed/);
  assert.match(checkDockerfile('FROM lab/node\nCOPY --from= /app /app\n', ['lab/node'])[0].message, /needs a stage name/);
});

test('only real parser directives are refused; other # key=value lines are comments', () => {
  assert.deepEqual(checkDockerfile('# author=someone\nFROM lab/node\n', ['lab/node']), []);
  assert.equal(checkDockerfile('# escape=`\nFROM lab/node\n', ['lab/node'])[0].line, 1);
});
