// Dockerfiles learners write for good reasons: the rules must let every one of them through.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkDockerfile, imageReferences } from './dockerfile-rules';

const LAB_IMAGES = ['lab/node'];

const LEGITIMATE: Record<string, string[]> = {
  'multi-stage, by name and by number': [
    'FROM lab/node AS build',
    'WORKDIR /src',
    'COPY package.json ./',
    'RUN npm install',
    'FROM lab/node',
    'COPY --from=build /src/node_modules ./node_modules',
    'COPY --from=0 /src/package.json ./',
    'COPY --from=BUILD /src /copy',
    'CMD ["node", "server.js"]',
  ],
  'a stage built FROM an earlier one': [
    'FROM lab/node AS base',
    'RUN true',
    'FROM base AS test',
    'RUN true',
    'FROM base',
    'COPY --from=test /tmp /tmp',
  ],
  'variables where the lab does not need their value': [
    'ARG VERSION=1.0',
    'FROM lab/node',
    'ARG VERSION',
    'RUN echo $VERSION',
    'ENV PATH=$PATH:/x APP_HOME=/app',
    'ENV GREETING "hello world"',
    'USER ${RUN_AS:-node}',
    'EXPOSE $PORT 3000',
    'COPY --chown=$UID:$GID run.sh ./',
  ],
  'exec and shell forms': [
    'FROM lab/node',
    'CMD ["node", "server.js"]',
    'CMD node server.js',
    'ENTRYPOINT ["tini", "--"]',
    'SHELL ["/bin/bash", "-c"]',
    'RUN ["sh", "-c", "echo $HOME"]',
  ],
  'health checks': [
    'FROM lab/node',
    'HEALTHCHECK --interval=5s CMD true',
    'HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 CMD ["node", "check.js"]',
    'HEALTHCHECK --interval=1m30s CMD wget -q -O- localhost:3000 || exit 1',
    'HEALTHCHECK NONE',
  ],
  'labels and metadata': [
    'FROM lab/node',
    'LABEL maintainer="x"',
    'LABEL org.opencontainers.image.title="app" version=1 "with space"=ok',
    'LABEL laboratory=yes lab=1 app.lab.owner=me',
    'MAINTAINER someone',
    'STOPSIGNAL SIGQUIT',
  ],
  'files and places': [
    'FROM lab/node',
    'WORKDIR /app',
    'COPY --chown=node:node . .',
    'COPY ["a b.js", "/app/c.js"]',
    'ADD app.tar.gz /app/',
    'COPY "server.js" \'/app/\'',
    'WORKDIR "/srv/my app"',
  ],
  'triggers for images built FROM this one': [
    'FROM lab/node',
    'ONBUILD COPY . /app',
    'ONBUILD RUN npm install',
    'ONBUILD COPY --from=lab/node /usr/bin/node /x',
  ],
  'continuations, comments and blank lines': [
    '# A comment first',
    'FROM lab/node',
    '',
    'RUN apt-get update \\',
    '    # why the next line',
    '    && echo done \\',
    '',
    '    && true',
    'CMD ["node", \\',
    '     "server.js"]',
  ],
};

test('the legitimate Dockerfiles pass', () => {
  for (const [name, lines] of Object.entries(LEGITIMATE)) {
    assert.deepEqual(checkDockerfile(lines.join('\n'), LAB_IMAGES), [], name);
  }
});

test('they pass with Windows line endings, a byte-order mark and a trailing newline as well', () => {
  for (const [name, lines] of Object.entries(LEGITIMATE)) {
    assert.deepEqual(checkDockerfile(`\uFEFF${lines.join('\r\n')}\r\n`, LAB_IMAGES), [], name);
  }
});

test("the learner's own images may be bases on the proxy path and are listed for the namespace", () => {
  const text = 'FROM me/app AS base\nFROM lab/node\nCOPY --from=me/tools:v1 /bin/x /x\nCOPY --from=base /app /app\n';
  assert.deepEqual(checkDockerfile(text, [...LAB_IMAGES, 'me/app', 'me/tools:v1']), []);
  assert.deepEqual(
    imageReferences(text).map(({ line, kind, name }) => `${line} ${kind} ${name}`),
    ['1 from me/app', '2 from lab/node', '3 copy-from me/tools:v1'],
  );
});

/** The Dockerfiles of the lessons under a given folder name (solution, alternatives, ...). */
function lessonDockerfiles(): string[] {
  const root = fileURLToPath(new URL('../../lessons', import.meta.url));
  return fs
    .readdirSync(root, { recursive: true })
    .map(String)
    .filter((file) => path.basename(file) === 'Dockerfile')
    .map((file) => path.join(root, file));
}

test('every solution and alternative Dockerfile of the lessons has no problem', () => {
  const answers = lessonDockerfiles().filter((file) => /[/\\](solution|alternatives)[/\\]/.test(file));
  assert.ok(answers.length >= 5, 'expected the lessons to hold solutions and alternatives');
  for (const file of answers) {
    assert.deepEqual(checkDockerfile(fs.readFileSync(file, 'utf8'), LAB_IMAGES), [], file);
  }
});

test('the lessons contain Dockerfiles to check', () => {
  assert.ok(lessonDockerfiles().length >= 10, 'expected the lessons folder to hold the exercises');
});

test('every Dockerfile of the lessons (starters, solutions, alternatives, wrong cases) is accepted', () => {
  for (const file of lessonDockerfiles()) {
    assert.deepEqual(checkDockerfile(fs.readFileSync(file, 'utf8'), LAB_IMAGES), [], `${file} was refused`);
  }
});
