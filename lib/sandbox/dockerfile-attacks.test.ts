// Dockerfiles a hostile learner wrote (or could write) to get past the rules, each reproduced against
// the engine's reading of it. Every one must be refused on the line that does it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkDockerfile } from './dockerfile-rules';

const LAB_IMAGES = ['lab/node'];

/** The problems of a Dockerfile given as lines. */
const check = (...lines: string[]) => checkDockerfile(lines.join('\n'), LAB_IMAGES);

/** Asserts that some problem names `line` and matches `message`. */
function assertRefused(problems: ReturnType<typeof checkDockerfile>, line: number, message: RegExp) {
  assert.ok(
    problems.some((problem) => problem.line === line && message.test(problem.message)),
    `expected a problem on line ${line} matching ${message}, got ${JSON.stringify(problems)}`,
  );
}

// --- 1. a URL the engine would fetch, however it is spelled -------------------------------------

const URL = 'http://127.0.0.1:3000/x';
const PRELUDE = ['FROM lab/node', `ENV U=${URL}`, 'ARG A'];

/** ADD arguments that all fetch a URL in the engine (after variables, quotes, escapes, JSON). */
const SPELLINGS = [
  `${URL} /x`,
  'HtTp://127.0.0.1:3000/x /x',
  'HTTPS://host/x /x',
  'ftp://host/x /x',
  'git@github.com:a/b.git /x',
  `"${URL}" /x`,
  '"http:"//127.0.0.1:3000/x /x',
  "'http'://127.0.0.1:3000/x /x",
  '""http://127.0.0.1:3000/x /x',
  'h\\ttp://127.0.0.1:3000/x /x',
  'http\\://127.0.0.1:3000/x /x',
  '$U /x',
  '${U} /x',
  '$A /x',
  '${A:-http://127.0.0.1:3000/x} /x',
  "'$U' /x",
  '\uFEFFhttp://127.0.0.1:3000/x /x',
  '\u00a0http://127.0.0.1:3000/x /x',
  `["${URL}", "/x"]`,
  '["\\u0068\\u0074\\u0074\\u0070://127.0.0.1:3000/x", "/x"]',
  '["h\\u0074tp://127.0.0.1:3000/x", "/x"]',
  '["\\"http\\"://127.0.0.1:3000/x", "/x"]',
  '["h\\\\ttp://127.0.0.1:3000/x", "/x"]',
  '["$U", "/x"]',
  `["${URL}", "/x"] trailing`,
  `[ "${URL}" ,"/x" ]`,
  `--chown=1:1 ${URL} /x`,
  `--chown=1:1 ["${URL}", "/x"]`,
];

/** Ways to write the instruction around the arguments: plain, in a trigger, continued, split mid-URL. */
const SHAPES: ((args: string) => string[])[] = [
  (args) => [`ADD ${args}`],
  (args) => [`add ${args}`],
  (args) => [`COPY ${args}`],
  (args) => [`ONBUILD ADD ${args}`],
  (args) => [`ONBUILD  add  ${args}`],
  (args) => ['ADD \\', `  ${args}`],
  (args) => ['ADD \\', '# a comment in between', '', `${args}`],
  (args) => (args.includes('//') ? [`ADD ${args.replace('//', '\\\n//')}`] : [`ADD ${args}`]),
  (args) => (args.includes('//') ? [`ONBUILD ADD ${args.replace('//', '\\ \t\n//')}`] : [`ONBUILD ADD ${args}`]),
];

test('every spelling of a URL source is refused, in every shape, with \\n and \\r\\n line endings', () => {
  let count = 0;
  for (const args of SPELLINGS) {
    for (const shape of SHAPES) {
      for (const ending of ['\n', '\r\n']) {
        const text = [...PRELUDE, ...shape(args), 'CMD ["node", "server.js"]'].join('\n').replaceAll('\n', ending);
        const problems = checkDockerfile(text, LAB_IMAGES);
        assert.ok(
          problems.some((problem) => problem.line === PRELUDE.length + 1),
          `not refused on line ${PRELUDE.length + 1}: ${JSON.stringify(text)} -> ${JSON.stringify(problems)}`,
        );
        count++;
      }
    }
  }
  assert.equal(count, SPELLINGS.length * SHAPES.length * 2);
});

test('ENV and ARG indirection in ADD is refused by its variable, and named so', () => {
  assertRefused(
    check('FROM lab/node', `ENV U=${URL}`, 'ADD $U /x'),
    3,
    /ADD sources with a variable \(\$\) are not allowed/,
  );
  assertRefused(check('FROM lab/node', 'ARG U', 'ADD ${U} /x'), 3, /variable/);
  assertRefused(check('ARG U', 'FROM lab/node', 'COPY --from=$U a b'), 3, /COPY --from=\$U is not allowed/);
});

test('quotes and escapes the lexer removes do not hide a URL', () => {
  assertRefused(check('FROM lab/node', 'ADD "http:"//host/ /x'), 2, /ADD of a URL is not allowed/);
  assertRefused(check('FROM lab/node', 'ADD h\\ttp://host/ /x'), 2, /backslash/);
  assertRefused(check('FROM lab/node', 'ADD ["h\\u0074tp://host/", "/x"]'), 2, /ADD of a URL is not allowed/);
});

// --- 2. ONBUILD triggers -------------------------------------------------------------------------

test("ONBUILD triggers get the same rules, and the engine's refusals of ONBUILD, FROM and MAINTAINER", () => {
  assertRefused(check('FROM lab/node', 'ONBUILD ADD http://host/x /x'), 2, /^ONBUILD ADD is not available in the lab/);
  assertRefused(check('FROM lab/node', 'ONBUILD ADD app.tgz /app/'), 2, /use ONBUILD COPY/);
  assertRefused(
    check('FROM lab/node', 'ONBUILD COPY --from=someone/else / /x'),
    2,
    /ONBUILD COPY --from=someone\/else is not allowed/,
  );
  assertRefused(
    check('FROM lab/node', 'ONBUILD RUN --mount=type=cache,target=/x true'),
    2,
    /ONBUILD RUN --mount is not allowed/,
  );
  assertRefused(check('FROM lab/node', 'ONBUILD WORKDIR proc'), 2, /ONBUILD WORKDIR proc is not allowed/);
  assertRefused(check('FROM lab/node', 'ONBUILD HEALTHCHECK --interval=1ms CMD true'), 2, /too short/);
  assertRefused(check('FROM lab/node', 'ONBUILD ONBUILD ADD x /x'), 2, /ONBUILD ONBUILD is not allowed/);
  assertRefused(check('FROM lab/node', 'ONBUILD FROM lab/node'), 2, /ONBUILD FROM is not allowed/);
  assertRefused(check('FROM lab/node', 'ONBUILD MAINTAINER me'), 2, /ONBUILD MAINTAINER is not allowed/);
  assertRefused(check('FROM lab/node', 'ONBUILD BOGUS x'), 2, /unknown instruction "BOGUS"/);
  assertRefused(check('FROM lab/node', 'ONBUILD'), 2, /ONBUILD needs an instruction/);
  assertRefused(check('FROM lab/node', 'ONBUILD --x=1 RUN true'), 2, /ONBUILD --x is not allowed/);
});

test('in a trigger, stage names and numbers belong to the later build and are refused', () => {
  assertRefused(
    check('FROM lab/node AS build', 'FROM lab/node', 'ONBUILD COPY --from=build a b'),
    3,
    /a trigger runs in a later build/,
  );
  assertRefused(
    check('FROM lab/node', 'FROM lab/node', 'ONBUILD COPY --from=0 a b'),
    3,
    /a trigger runs in a later build/,
  );
});

// --- 3. FROM and COPY --from names ----------------------------------------------------------------

test('a number in FROM is an image reference (an image ID prefix) to the engine, never a stage', () => {
  assertRefused(
    check('FROM lab/node', 'FROM lab/node', 'FROM lab/node', 'FROM 02'),
    4,
    /FROM 02 is not allowed.*no stage numbers/,
  );
  assertRefused(check('FROM lab/node', 'FROM 0'), 2, /FROM 0 is not allowed/);
});

test('COPY --from numbers: only a plain number of a stage above; a sign or a leading zero is refused', () => {
  for (const value of ['+1', '-0', '01', '1', '99999999999999999999']) {
    assertRefused(
      check('FROM lab/node', 'FROM lab/node', `COPY --from=${value} a b`),
      3,
      /a stage number is written 0, 1, 2/,
    );
  }
});

test('a stage naming itself is an image to the engine (its name is only committed when it ends)', () => {
  assertRefused(check('FROM lab/node AS app', 'COPY --from=app a b'), 2, /names the stage it is in/);
});

test('image names in FROM and --from are written plainly: quotes, escapes and variables are refused', () => {
  assertRefused(check('FROM "lab/node"'), 1, /write the image name out/);
  assertRefused(check('ARG I=lab/node', 'FROM $I'), 2, /write the image name out/);
  assertRefused(check('FROM \uFEFFlab/node'), 1, /write the image name out/);
  assertRefused(check('FROM lab/node', 'COPY --from="lab/node" a b'), 2, /COPY --from="lab\/node" is not allowed/);
  assertRefused(check('FROM lab/node', 'COPY --from=lab\\/node a b'), 2, /without variables, quotes or escapes/);
});

test('stage names are checked as the engine checks them: valid, and each used once', () => {
  assertRefused(check('FROM lab/node AS 1st'), 1, /the stage name 1st is not allowed/);
  assertRefused(check('FROM lab/node AS a', 'FROM lab/node AS A'), 2, /the stage name a is already used/);
  assertRefused(check('FROM lab/node build'), 1, /FROM takes an image and, optionally, AS and a stage name/);
});

test('ADD takes no --from (the engine refuses it) and its sources stay exercise files', () => {
  const problems = check('FROM lab/node AS b', 'FROM lab/node', 'ADD --from=b /etc/passwd /x');
  assertRefused(problems, 3, /ADD --from is not allowed/);
  assertRefused(problems, 3, /sources must be files of the exercise/);
});

// --- 4. text the engine reads otherwise than a quick look ------------------------------------------

test('a bare \\r does not end a line: FROM lab/node\\rRUN x is one malformed FROM, and nothing throws', () => {
  assertRefused(checkDockerfile('FROM lab/node\rRUN x', LAB_IMAGES), 1, /FROM takes an image/);
  assert.deepEqual(checkDockerfile('FROM lab/node\rAS\rbuild\nFROM build\n', LAB_IMAGES), []);
});

test('a flag holding a non-ASCII character is refused (the engine reads its bytes: U+00A0 splits it)', () => {
  assertRefused(
    check('FROM lab/node', 'COPY --chown=a\u00a0--from=evil/image a b'),
    2,
    /flags may hold ASCII characters only/,
  );
});

test('a keyword spelled with a look-alike the engine folds to ASCII is refused', () => {
  assertRefused(check('FROM lab/node', 'WOR\u212ADIR /proc'), 2, /plain ASCII letters/);
  assertRefused(check('FROM lab/node', 'ONBU\u0130LD ADD http://x/ /x'), 2, /plain ASCII letters/);
});

test('bytes that are not UTF-8 (decoded as U+FFFD) are refused on their line', () => {
  assertRefused(check('FROM lab/node', 'COPY --chown=a\uFFFD--from=x a b'), 2, /not UTF-8/);
});

test('only ARG may come before the first FROM', () => {
  assertRefused(check('ARG A=1', 'RUN true', 'FROM lab/node'), 2, /first instruction must be FROM/);
});

// --- 5. the lab's labels ---------------------------------------------------------------------------

test('LABEL keys starting with lab. are refused in any case and spelling, also in ONBUILD', () => {
  for (const label of [
    'lab.owner=me',
    'LAB.Run=1',
    '"lab.image"=x',
    "l'ab'.workstation=1",
    'a=1 lab.staged=1',
    'lab.owner me',
    '\uFEFFlab.owner=me',
  ]) {
    assertRefused(check('FROM lab/node', `LABEL ${label}`), 2, /keys starting with "lab\." are the lab's own/);
  }
  assertRefused(check('FROM lab/node', 'ONBUILD LABEL lab.owner=me'), 2, /^ONBUILD LABEL lab\.owner is not allowed/);
});

test('a LABEL key with a variable or an escape is refused: its value is not known before the build', () => {
  assertRefused(check('FROM lab/node', 'ARG K=lab.owner', 'LABEL $K=me'), 3, /LABEL keys with a variable/);
  assertRefused(check('FROM lab/node', 'LABEL la\\b.owner=me'), 2, /LABEL keys with a backslash/);
});

// --- 6. health checks ------------------------------------------------------------------------------

test('a HEALTHCHECK interval below the lab floor is refused with the floor named', () => {
  assertRefused(
    check('FROM lab/node', 'HEALTHCHECK --interval=1ms CMD true'),
    2,
    /^HEALTHCHECK --interval=1ms is too short: the lab's floor is 2s$/,
  );
  assertRefused(check('FROM lab/node', 'HEALTHCHECK --interval="500ms" CMD true'), 2, /too short/);
  assertRefused(check('FROM lab/node', 'HEALTHCHECK --start-interval=1s CMD true'), 2, /too short/);
  assertRefused(check('FROM lab/node', 'HEALTHCHECK --timeout=0s CMD true'), 2, /engine's minimum is 1ms/);
  assertRefused(check('FROM lab/node', 'HEALTHCHECK --every=1s CMD true'), 2, /HEALTHCHECK --every is not allowed/);
});
