// A program is matched by what runs, not by how its command line is spelled.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { argvOf, describeProgram, runningProgram, runsProgram } from './program';

const node = { program: 'node', script: 'server.js' };

test('node server.js, however it is started', () => {
  for (const argv of [
    ['node', 'server.js'],
    ['/usr/bin/node', '/app/server.js'],
    ['node', './server.js'],
    ['node', 'server'],
    ['nodejs', 'server.js'],
    ['node', '--enable-source-maps', 'server.js'],
    ['node', '--max-old-space-size=64', '-r', './tracing.js', 'server.js', '--port', '8080'],
    ['/usr/local/bin/node', '--', '/srv/app/server.js'],
  ]) {
    assert.equal(runsProgram(argv, node), true, argv.join(' '));
  }
});

test('not node server.js: a shell running it, another script, inline code, node alone', () => {
  for (const argv of [
    ['/bin/sh', '-c', 'node server.js'],
    ['sh', '-c', 'exec node server.js'],
    ['bash', 'entrypoint.sh'],
    ['node', 'worker.js'],
    ['node', '-e', "require('./server.js')"],
    ['node'],
    ['tini', '--', 'node', 'server.js'],
    ['node', 'server.json'],
    ['/usr/bin/python3', 'server.js'],
  ]) {
    assert.equal(runsProgram(argv, node), false, argv.join(' '));
  }
});

test('python3 main.py with flags, paths, versions and -m', () => {
  const main = { program: 'python3', script: 'main.py' };
  for (const argv of [
    ['python3', 'main.py'],
    ['/usr/bin/python3.11', '-u', '/app/main.py'],
    ['python', '-B', '-W', 'ignore', 'main.py'],
    ['python3', '-m', 'main'],
  ]) {
    assert.equal(runsProgram(argv, main), true, argv.join(' '));
  }
  assert.equal(runsProgram(['python3', '-c', 'import main'], main), false);
  assert.equal(runsProgram(['python3', '-uc', 'import main'], main), false);
});

test('a program that is a script of an interpreter, and plain executables', () => {
  assert.equal(
    runsProgram(['/usr/bin/python3', '/usr/bin/supervisord', '-n', '-c', '/etc/supervisor/supervisord.conf'], {
      program: 'supervisord',
    }),
    true,
  );
  assert.equal(runsProgram(['/usr/bin/supervisord', '--nodaemon'], { program: 'supervisord' }), true);
  assert.equal(runsProgram(['/usr/bin/tini', '--', 'node', 'worker.js'], { program: 'tini' }), true);
  assert.equal(runsProgram(['/sbin/docker-init', '--', 'node'], { program: 'tini' }), false);
  assert.equal(runsProgram(['sleep', 'infinity'], { program: 'sleep' }), true);
  assert.equal(runsProgram(['/bin/sh', '-c', 'supervisord -n'], { program: 'supervisord' }), false);
});

test('shells: a script is a shell program with that script; -c code is a shell alone', () => {
  assert.deepEqual(runningProgram(['/bin/sh', '/entrypoint.sh']), { executable: 'sh', script: '/entrypoint.sh' });
  assert.deepEqual(runningProgram(['bash', '-e', 'entrypoint.sh']), { executable: 'bash', script: 'entrypoint.sh' });
  assert.deepEqual(runningProgram(['sh', '-ec', 'node server.js']), { executable: 'sh', script: null });
  assert.equal(runsProgram(['/bin/bash', './entrypoint.sh'], { program: 'sh', script: 'entrypoint.sh' }), true);
});

test('argv from a sample: recorded, or the command split; a zombie by its name', () => {
  assert.deepEqual(argvOf({ command: 'node server.js', argv: ['node', 'server.js'] }), ['node', 'server.js']);
  assert.deepEqual(argvOf({ command: '/bin/sh -c node server.js' }), ['/bin/sh', '-c', 'node', 'server.js']);
  assert.deepEqual(argvOf({ command: '[node]' }), ['node']);
  assert.equal(describeProgram(node), 'node server.js');
});

test('the executable really running wins over what argv[0] says', () => {
  // `exec -a node tail server.js -f /dev/null`: argv reads like node server.js, /proc/<pid>/exe is tail.
  assert.equal(runsProgram(['node', 'server.js', '-f', '/dev/null'], node, '/usr/bin/tail'), false);
  assert.equal(runsProgram(['node', 'server.js'], node, '/usr/bin/nodejs'), true);
  assert.equal(
    runsProgram(['/usr/bin/python3', '/usr/bin/supervisord'], { program: 'supervisord' }, '/usr/bin/python3.11'),
    true,
  );
});
