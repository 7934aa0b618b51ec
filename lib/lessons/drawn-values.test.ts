import assert from 'node:assert/strict';
import { test } from 'node:test';
import { drawValues, referencesIn, runSettingsWith, withDrawnValues, withMemoryLimit } from './drawn-values';
import { RunSettingsSchema } from './run-settings-schema';

test('draws integers in a range without the values left out, and tokens', () => {
  for (let i = 0; i < 200; i += 1) {
    const { CODE, TOKEN } = drawValues({ CODE: { between: [3, 9], except: [4, 5] }, TOKEN: { token: true } });
    assert.ok([3, 6, 7, 8, 9].includes(Number(CODE)), CODE);
    assert.match(TOKEN, /^[0-9a-f]{12}$/);
  }
});

test('puts drawn values in for ${NAME}, deep, and leaves other text alone', () => {
  const spec = { codes: ['${CODE}', 0], matches: 'GET /${TOKEN}', command: ['curl', 'http://x/${TOKEN}'], other: '$HOME ${UNKNOWN}' };
  assert.deepEqual(withDrawnValues(spec, { CODE: '47', TOKEN: 'abc' }), { codes: ['47', 0], matches: 'GET /abc', command: ['curl', 'http://x/abc'], other: '$HOME ${UNKNOWN}' });
  assert.deepEqual(referencesIn('exit ${CODE} or ${OTHER_1}'), ['CODE', 'OTHER_1']);
});

test('runSettingsWith puts drawn values in the Pod-spec command and args, and adds them to the environment', () => {
  const run = RunSettingsSchema.parse({ env: { A: '${PORT}' }, command: ['node', 'server.js'], args: ['--port', '${PORT}'] });
  const settings = runSettingsWith(run, { PORT: '9123' });
  assert.deepEqual(settings.args, ['--port', '9123']);
  assert.deepEqual(settings.command, ['node', 'server.js']);
  assert.deepEqual(settings.env, { A: '${PORT}', PORT: '9123' });
  const plain = runSettingsWith(RunSettingsSchema.parse({}), {});
  assert.equal('args' in plain, false);
  assert.equal('command' in plain, false);
});

test('a value drawn with env: false stays out of the environment, and a drawn memory limit only tightens', () => {
  const run = RunSettingsSchema.parse({ memoryMb: '${LIMIT_MB}' });
  const settings = runSettingsWith(run, { LIMIT_MB: '96', TOKEN: 'abc' }, { LIMIT_MB: { between: [64, 128], env: false } });
  assert.deepEqual(settings.env, { TOKEN: 'abc' });
  assert.equal(settings.memoryMb, 96);
  assert.equal(withMemoryLimit({ memoryBytes: 256 * 1024 * 1024 }, settings.memoryMb).memoryBytes, 96 * 1024 * 1024);
  assert.equal(withMemoryLimit({ memoryBytes: 64 * 1024 * 1024 }, 128).memoryBytes, 64 * 1024 * 1024);
  assert.equal(withMemoryLimit({ memoryBytes: 64 * 1024 * 1024 }, undefined).memoryBytes, 64 * 1024 * 1024);
});
