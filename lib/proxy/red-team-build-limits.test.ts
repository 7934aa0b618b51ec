// The red team, part two (continued): the builds a learner may make go through (an ordinary project of
// about 64 KiB), and the build's limits hold: the disk limit stops a build that writes past it, the
// file-size limit a file larger than it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { build, MALLORY, redTeamBuildProxies, tarOf, type Entry } from './red-team-builds-fixtures';

redTeamBuildProxies();

describe('builds a learner may make', () => {
  test('an ordinary project of about 64 KiB builds', async () => {
    const entries: Entry[] = [
      { name: 'Dockerfile', content: 'FROM lab/node\nWORKDIR /app\nCOPY . .\nCMD ["node", "server.js"]\n' },
      { name: 'server.js', content: 'console.log(1)\n' },
    ];
    for (let i = 0; i < 32; i += 1)
      entries.push({ name: `src/module-${i}.js`, content: `// ${'x'.repeat(2000)}\nmodule.exports = ${i};\n` });
    const context = await tarOf(entries);
    assert.ok(context.length > 64 * 1024, `${context.length} bytes`);
    const answer = await build(MALLORY, context, 't=project:1.0');
    assert.equal(answer.status, 200, answer.text.slice(0, 500));
    assert.match(answer.text, /Successfully tagged project:1\.0/);
    assert.match(answer.text, /Step 4\/4 : CMD/);
  });

  test('a build that writes more than the disk limit is stopped and says why', async () => {
    const answer = await build(
      MALLORY,
      await tarOf([
        {
          name: 'Dockerfile',
          content: 'FROM lab/node\nRUN for i in 1 2 3 4 5 6; do head -c 60000000 /dev/zero > /f$i; sleep 1; done\n',
        },
      ]),
      't=big',
    );
    assert.match(answer.text, /more than the 256 MiB/, answer.text.slice(-500));
    assert.doesNotMatch(answer.text, /Successfully tagged/);
  });

  test("a file larger than the build's file-size limit cannot be written", async () => {
    const answer = await build(
      MALLORY,
      await tarOf([{ name: 'Dockerfile', content: 'FROM lab/node\nRUN head -c 100000000 /dev/zero > /f\n' }]),
      't=onefile',
    );
    assert.match(answer.text, /"error"/, answer.text.slice(-500));
  });
});
