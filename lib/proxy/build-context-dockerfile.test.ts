// Which Dockerfile the engine would build, chosen as engine 20.10.24 chooses it, and what the lab refuses
// to choose: archives written with tar-stream.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { build, contextOf, DOCKERFILE, LIMITS, refusal } from './build-context-fixtures';

describe('canonicalContext: the Dockerfile the engine takes', () => {
  test('`dockerfile` is used when `Dockerfile` is missing, only for the default name', async () => {
    const context = contextOf(await build([{ name: 'dockerfile', content: DOCKERFILE }]));
    assert.deepEqual(context.dockerfile, { name: 'dockerfile', text: DOCKERFILE });
    assert.equal(
      contextOf(await build([{ name: 'dockerfile', content: DOCKERFILE }], '')).dockerfile.name,
      'dockerfile',
    );
    assert.equal(
      contextOf(
        await build([
          { name: 'Dockerfile', content: 'FROM a' },
          { name: 'dockerfile', content: 'FROM b' },
        ]),
      ).dockerfile.text,
      'FROM a',
    );
    assert.deepEqual(await refusal([{ name: 'dockerfile', content: DOCKERFILE }], './Dockerfile'), {
      status: 400,
      message: 'Cannot locate specified Dockerfile: ./Dockerfile',
    });
  });

  test('a `dockerfile` parameter inside the context is taken, `./` removed', async () => {
    const entries = [
      { name: 'Dockerfile', content: 'FROM root' },
      { name: 'sub/Dockerfile.dev', content: DOCKERFILE },
    ];
    assert.deepEqual(contextOf(await build(entries, 'sub/Dockerfile.dev')).dockerfile, {
      name: 'sub/Dockerfile.dev',
      text: DOCKERFILE,
    });
    assert.equal(contextOf(await build(entries, './sub/Dockerfile.dev')).dockerfile.name, 'sub/Dockerfile.dev');
  });

  for (const param of ['../Dockerfile', '/etc/passwd', 'sub/../Dockerfile', 'sub//Dockerfile', '.']) {
    test(`a \`dockerfile\` parameter of ${param} is refused`, async () => {
      const refused = await refusal([{ name: 'Dockerfile', content: DOCKERFILE }], param);
      assert.equal(refused.status, 400);
      assert.ok(
        refused.message.startsWith(
          `the Dockerfile must be named by a path inside the build context, such as sub/Dockerfile.dev; ${param} `,
        ),
        refused.message,
      );
    });
  }

  test("a missing Dockerfile gets the engine's message; a folder gets the reason", async () => {
    assert.deepEqual(await refusal([{ name: 'README', content: 'x' }]), {
      status: 400,
      message: 'Cannot locate specified Dockerfile: Dockerfile',
    });
    assert.deepEqual(await refusal([{ name: 'README', content: 'x' }], 'sub/Dockerfile'), {
      status: 400,
      message: 'Cannot locate specified Dockerfile: sub/Dockerfile',
    });
    const folder = await refusal([{ name: 'sub/Dockerfile/x', content: 'x' }], 'sub/Dockerfile');
    assert.equal(folder.message, 'the Dockerfile sub/Dockerfile is a folder in the build context; name a file with -f');
  });

  test('a Dockerfile over 1 MiB, empty or not UTF-8 is refused; a byte order mark is dropped as the engine drops it', async () => {
    const big = await refusal([{ name: 'Dockerfile', content: `FROM lab/node\n${'#'.repeat(1024 * 1024)}\n` }], null, {
      ...LIMITS,
      maxCompressedBytes: 4 * 1024 * 1024,
    });
    assert.match(big.message, /^the Dockerfile Dockerfile is 1 MiB; the lab reads Dockerfiles up to 1 MiB$/);
    assert.deepEqual(await refusal([{ name: 'Dockerfile', content: '' }]), {
      status: 400,
      message: 'the Dockerfile (Dockerfile) cannot be empty',
    });
    assert.equal(
      (await refusal([{ name: 'Dockerfile', content: Buffer.from([0x46, 0xff, 0x0a]) }])).message,
      'the Dockerfile Dockerfile is not UTF-8 text',
    );
    assert.equal(
      contextOf(await build([{ name: 'Dockerfile', content: `\uFEFF${DOCKERFILE}` }])).dockerfile.text,
      DOCKERFILE,
    );
  });
});
