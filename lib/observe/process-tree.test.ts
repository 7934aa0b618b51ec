import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTree, diffProcesses, findProcess, isZombie, pid1, sameProcesses, type ProcessNode } from './process-tree';
import type { ProcessInfo } from './timeline-event';

function proc(pid: number, ppid: number, command: string, state = 'S'): ProcessInfo {
  return { pid, ppid, command, state };
}

/** The tree as nested [pid, children] pairs, easy to compare. */
function shape(nodes: ProcessNode[]): unknown[] {
  return nodes.map((node) => [node.pid, shape(node.children)]);
}

// --- isZombie, pid1 ----------------------------------------------------------------------------

test('isZombie is true only for state Z', () => {
  assert.equal(isZombie(proc(5, 1, '[node]', 'Z')), true);
  for (const state of ['R', 'S', 'D', 'T', 'I']) assert.equal(isZombie(proc(5, 1, 'node', state)), false);
});

test('pid1 finds PID 1 or nothing', () => {
  assert.deepEqual(pid1([proc(7, 1, 'sleep'), proc(1, 0, 'sh')]), proc(1, 0, 'sh'));
  assert.equal(pid1([proc(7, 0, 'sleep')]), undefined);
});

// --- diffProcesses -----------------------------------------------------------------------------

test('diffProcesses reports processes that appeared as spawned', () => {
  const before = [proc(1, 0, 'sh')];
  const after = [proc(1, 0, 'sh'), proc(7, 1, 'node server.js')];
  assert.deepEqual(diffProcesses(before, after), { spawned: [proc(7, 1, 'node server.js')], exited: [] });
});

test('diffProcesses reports processes that are gone as exited', () => {
  const before = [proc(1, 0, 'sh'), proc(7, 1, 'node server.js')];
  const after = [proc(1, 0, 'sh')];
  assert.deepEqual(diffProcesses(before, after), { spawned: [], exited: [proc(7, 1, 'node server.js')] });
});

test('diffProcesses counts a process that became a zombie as exited', () => {
  const before = [proc(1, 0, 'sh'), proc(7, 1, 'node server.js')];
  const after = [proc(1, 0, 'sh'), proc(7, 1, '[node]', 'Z')];
  const diff = diffProcesses(before, after);
  assert.deepEqual(diff.exited, [proc(7, 1, 'node server.js')]);
  assert.deepEqual(diff.spawned, []);
});

test('diffProcesses does not report a zombie again when it disappears', () => {
  const before = [proc(1, 0, 'sh'), proc(7, 1, '[node]', 'Z')];
  const after = [proc(1, 0, 'sh')];
  assert.deepEqual(diffProcesses(before, after), { spawned: [], exited: [] });
});

test('diffProcesses of identical samples is empty', () => {
  const sample = [proc(1, 0, 'sh'), proc(7, 1, 'node')];
  assert.deepEqual(diffProcesses(sample, [...sample]), { spawned: [], exited: [] });
});

test('diffProcesses from an empty sample spawns everything, to an empty sample exits every live process', () => {
  const sample = [proc(1, 0, 'sh'), proc(7, 1, 'node'), proc(9, 1, '[x]', 'Z')];
  assert.deepEqual(diffProcesses([], sample), { spawned: sample, exited: [] });
  assert.deepEqual(diffProcesses(sample, []), { spawned: [], exited: [proc(1, 0, 'sh'), proc(7, 1, 'node')] });
});

test('diffProcesses counts an exec (same PID, new command line) as spawned, not exited', () => {
  const before = [proc(1, 0, 'sh -c exec node server.js'), proc(7, 1, 'sh')];
  const after = [proc(1, 0, 'node server.js'), proc(7, 1, 'node worker.js')];
  assert.deepEqual(diffProcesses(before, after), { spawned: after, exited: [] });
});

test('diffProcesses does not count a state change of the same command as spawned', () => {
  const diff = diffProcesses([proc(7, 1, 'node', 'S')], [proc(7, 1, 'node', 'R')]);
  assert.deepEqual(diff, { spawned: [], exited: [] });
});

// --- sameProcesses -----------------------------------------------------------------------------

test('sameProcesses is true for equal samples', () => {
  assert.equal(sameProcesses([proc(1, 0, 'sh'), proc(7, 1, 'node')], [proc(1, 0, 'sh'), proc(7, 1, 'node')]), true);
  assert.equal(sameProcesses([], []), true);
});

test('sameProcesses ignores changes between running states (S, R, D)', () => {
  assert.equal(sameProcesses([proc(1, 0, 'node', 'S')], [proc(1, 0, 'node', 'R')]), true);
  assert.equal(sameProcesses([proc(1, 0, 'node', 'D')], [proc(1, 0, 'node', 'S')]), true);
});

test('sameProcesses is false when a process is added or removed', () => {
  assert.equal(sameProcesses([proc(1, 0, 'sh')], [proc(1, 0, 'sh'), proc(7, 1, 'node')]), false);
  assert.equal(sameProcesses([proc(1, 0, 'sh'), proc(7, 1, 'node')], [proc(1, 0, 'sh')]), false);
});

test('sameProcesses is false when a PID, parent or command differs', () => {
  assert.equal(sameProcesses([proc(7, 1, 'node')], [proc(8, 1, 'node')]), false);
  assert.equal(sameProcesses([proc(7, 1, 'node')], [proc(7, 0, 'node')]), false);
  assert.equal(sameProcesses([proc(1, 0, 'sh -c node')], [proc(1, 0, 'node')]), false);
});

test('sameProcesses is false when a process becomes a zombie or is stopped', () => {
  assert.equal(sameProcesses([proc(7, 1, 'node', 'S')], [proc(7, 1, 'node', 'Z')]), false);
  assert.equal(sameProcesses([proc(7, 1, 'node', 'S')], [proc(7, 1, 'node', 'T')]), false);
  assert.equal(sameProcesses([proc(7, 1, 'node', 'T')], [proc(7, 1, 'node', 'R')]), false);
});

// --- findProcess -------------------------------------------------------------------------------

test('findProcess returns the first live process whose command matches', () => {
  const processes = [proc(1, 0, 'sh -c node server.js'), proc(7, 1, 'node server.js')];
  assert.deepEqual(findProcess(processes, /^node /), proc(7, 1, 'node server.js'));
  assert.equal(findProcess(processes, /python/), undefined);
});

test('findProcess skips zombies', () => {
  const processes = [proc(1, 0, 'sh'), proc(7, 1, 'node server.js', 'Z'), proc(9, 1, 'node server.js')];
  assert.deepEqual(findProcess(processes, /node/), proc(9, 1, 'node server.js'));
  assert.equal(findProcess([proc(7, 1, '[node]', 'Z')], /node/), undefined);
});

test('findProcess picks the lowest PID of several matches in a sample (samples are sorted by PID)', () => {
  const processes = [proc(1, 0, 'supervisord'), proc(12, 1, 'node worker.js'), proc(15, 1, 'node worker.js')];
  assert.equal(findProcess(processes, /worker/)?.pid, 12);
});

// --- buildTree ---------------------------------------------------------------------------------

test('buildTree nests children under their parents', () => {
  const tree = buildTree([
    proc(1, 0, 'supervisord'),
    proc(7, 1, 'sh -c node'),
    proc(8, 7, 'node server.js'),
    proc(9, 1, 'node worker.js'),
  ]);
  assert.deepEqual(shape(tree), [
    [
      1,
      [
        [7, [[8, []]]],
        [9, []],
      ],
    ],
  ]);
  assert.equal(tree[0].command, 'supervisord');
  assert.equal(tree[0].children[0].children[0].command, 'node server.js');
});

test('buildTree makes a process with ppid 0 a root', () => {
  assert.deepEqual(shape(buildTree([proc(1, 0, 'node')])), [[1, []]]);
});

test("buildTree makes exec'd processes (ppid 0) extra roots beside PID 1", () => {
  const tree = buildTree([proc(1, 0, 'node server.js'), proc(20, 0, 'sh'), proc(21, 20, 'ps')]);
  assert.deepEqual(shape(tree), [
    [1, []],
    [20, [[21, []]]],
  ]);
});

test('buildTree makes a process whose parent is not in the sample a root', () => {
  assert.deepEqual(shape(buildTree([proc(1, 0, 'sh'), proc(30, 29, 'orphan')])), [
    [1, []],
    [30, []],
  ]);
});

test('buildTree keeps zombies in the tree under their parent', () => {
  const tree = buildTree([proc(1, 0, 'sh'), proc(7, 1, '[node]', 'Z')]);
  assert.equal(tree[0].children[0].state, 'Z');
});

test('buildTree does not loop on a process that names itself as parent', () => {
  assert.deepEqual(shape(buildTree([proc(1, 1, 'weird')])), [[1, []]]);
});

test('buildTree of nothing is an empty forest and does not change its input', () => {
  assert.deepEqual(buildTree([]), []);
  const input = [proc(1, 0, 'sh'), proc(2, 1, 'x')];
  buildTree(input);
  assert.deepEqual(input, [proc(1, 0, 'sh'), proc(2, 1, 'x')]);
});
