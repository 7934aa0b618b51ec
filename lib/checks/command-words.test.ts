import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commandWords, namesCommand } from './command-words';

test('commandWords drops paths, quotes and brackets, and treats dash as sh', () => {
  assert.deepEqual(commandWords('/bin/sh /app/start.sh'), ['sh', 'start.sh']);
  assert.deepEqual(commandWords(`["node", 'server.js']`), ['node', 'server.js']);
  assert.deepEqual(commandWords('[tini -- node api.js]'), ['tini', '--', 'node', 'api.js']);
  assert.deepEqual(commandWords('/bin/dash -c x'), ['sh', '-c', 'x']);
  assert.deepEqual(commandWords('   '), []);
});

test('a command is named by its program or its script, with or without paths and arguments', () => {
  for (const answer of ['node server.js', 'node', 'server.js', '/usr/bin/node /app/server.js', 'NODE server.js']) {
    assert.ok(namesCommand(answer, 'node server.js'), answer);
  }
  for (const answer of [
    '/bin/sh /app/start.sh',
    'sh /app/start.sh',
    'start.sh',
    './start.sh',
    '/app/start.sh',
    'sh',
    'dash start.sh',
  ]) {
    assert.ok(namesCommand(answer, '/bin/sh /app/start.sh'), answer);
  }
  for (const answer of ['tini', '/usr/bin/tini -- node api.js', 'tini -- node api.js']) {
    assert.ok(namesCommand(answer, 'tini -- node api.js'), answer);
  }
  assert.ok(namesCommand('sh -c "node main.js"', '/bin/sh -c node main.js'));
});

test('another program, a child, or words that are not in the command line do not name it', () => {
  assert.ok(!namesCommand('node server.js', '/bin/sh /app/start.sh'), 'the child of a wrapper');
  assert.ok(!namesCommand('node api.js', 'tini -- node api.js'), 'the CMD behind an entrypoint');
  assert.ok(!namesCommand('node main.js', '/bin/sh -c node main.js'), 'the child of a shell-form CMD');
  assert.ok(!namesCommand('-c', '/bin/sh -c node main.js'), 'an option is not a program');
  assert.ok(!namesCommand('node app.js', 'node server.js'), 'another script');
  assert.ok(!namesCommand('bash start.sh', '/bin/sh /app/start.sh'), 'another shell');
  assert.ok(!namesCommand('PID 1 is node server.js', 'node server.js'), 'prose around it');
  assert.ok(!namesCommand('', 'node server.js'));
});
