// no-file-created: the filesystem diff of the container, judged by path and kind of change. Pure:
// hand-made timelines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FileChange } from '../observe/timeline-event';
import { judge, Run } from './evaluate-fixtures';

// --- no-file-created ---------------------------------------------------------------------------

function changed(...changes: FileChange[]): Run {
  return new Run()
    .built()
    .in('main', 2000)
    .start(2010)
    .die(3000, 0)
    .fsChanges(3100, ...changes)
    .end(3200);
}

test('no-file-created fails for an added file that matches', () => {
  const result = judge(
    { type: 'no-file-created', pattern: '\\.pid$' },
    changed({ kind: 'added', path: '/app/server.pid' }, { kind: 'added', path: '/tmp/x' }),
  );
  assert.equal(result.status, 'fail');
  assert.equal(result.observed, 'added /app/server.pid');
  assert.equal(result.evidence?.type, 'fs-changes');
});

test('no-file-created fails for a changed file that matches', () => {
  const result = judge(
    { type: 'no-file-created', pattern: '^/var/log/' },
    changed({ kind: 'changed', path: '/var/log/app.log' }),
  );
  assert.equal(result.status, 'fail');
  assert.equal(result.observed, 'changed /var/log/app.log');
});

test('no-file-created ignores deleted files and unrelated paths', () => {
  const result = judge(
    { type: 'no-file-created', pattern: '\\.pid$' },
    changed({ kind: 'deleted', path: '/run/app.pid' }, { kind: 'added', path: '/tmp/cache' }),
  );
  assert.equal(result.status, 'pass');
  assert.equal(result.observed, 'no such path in the filesystem diff');
});

test('no-file-created fails when the filesystem diff is missing', () => {
  const run = new Run().built().in('main', 2000).end(2100);
  const result = judge({ type: 'no-file-created', pattern: '\\.pid$' }, run);
  assert.equal(result.status, 'fail');
  assert.match(result.observed, /could not be read/);
});
