// (a) of `npm run bench`: from Run to the first process tree with a cached image, in the lab and with
// the docker CLI as a person uses it (a cached build, docker run, docker top), in the same run.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { caseFiles, findBuildExercise, loadCurriculum } from '../lib/lessons/curriculum';
import { Timeline } from '../lib/observe/timeline';
import { inlineExercise } from '../lib/runner/inline-exercise';
import { newRunId, runExercise } from '../lib/runner/run-exercise';
import type { LearnerFile } from '../lib/sandbox/learner-files';
import { RUN_LIMITS } from '../lib/sandbox/limits';
import { percentile } from './bench-browser';
import { engine, OWNER } from './bench-engine';

const run = promisify(execFile);

const median = (values: number[]) => percentile(values, 50);
const round = (value: number, digits = 1) => Number(value.toFixed(digits));

/** The files of a small exercise: a Node.js server that is PID 1. */
function serverFiles(): { files: LearnerFile[]; exerciseId: string } {
  const exercise = findBuildExercise('main-process-exit/pid1', loadCurriculum())!;
  return { files: caseFiles(exercise, 'solution'), exerciseId: exercise.id };
}

/** (a) lab: from Run to the first snapshot with a process in it. */
async function labFirstTree(files: LearnerFile[]): Promise<number> {
  const exercise = inlineExercise(
    {
      scenarios: [
        {
          id: 'main',
          description: 'first tree',
          actions: [{ do: 'wait-for-process', match: 'server\\.js', timeoutMs: 10000 }],
        },
      ],
      checks: [
        {
          id: 'up',
          title: 'up',
          scenario: 'main',
          hint: 'h',
          assert: { type: 'process-present', matches: 'server\\.js', at: 'step-1' },
        },
      ],
    },
    files,
    'bench/first-tree',
  );
  const timeline = new Timeline();
  let firstTree = -1;
  const stop = timeline.subscribe((event) => {
    if (firstTree < 0 && event.type === 'snapshot' && event.processes.length > 0)
      firstTree = Date.now() - timeline.startedAt;
  });
  const outcome = await runExercise({ engine, exercise, files, owner: OWNER, timeline });
  stop();
  if (outcome.status !== 'pass' || firstTree < 0) throw new Error(`the first-tree run did not pass: ${outcome.status}`);
  return firstTree;
}

/** The name a person gives the image: the same for every round, as it would be at their terminal. */
const CLI_TAG = 'lab-bench-cli:first-tree';

/** (a) CLI: a person's flow with the docker CLI, until `docker top` first shows a process. */
async function cliFirstTree(dir: string): Promise<number> {
  // `docker build -q -t name .` (fully cached: no new image), `docker run -d` with the sandbox's flags
  // (the same container work as the lab's), then `docker top` until the server shows.
  const runId = newRunId();
  const started = Date.now();
  await run('docker', ['build', '-q', '-t', CLI_TAG, dir]);
  const { stdout } = await run('docker', [
    'run',
    '-d',
    '--network',
    'none',
    '--memory',
    String(RUN_LIMITS.memoryBytes),
    '--memory-swap',
    String(RUN_LIMITS.memoryBytes),
    '--pids-limit',
    String(RUN_LIMITS.pids),
    '--cap-drop',
    'ALL',
    '--security-opt',
    'no-new-privileges',
    '--label',
    `lab.owner=${OWNER}`,
    '--label',
    `lab.run=${runId}`,
    CLI_TAG,
  ]);
  const id = stdout.trim();
  let elapsed = -1;
  try {
    for (let i = 0; i < 200 && elapsed < 0; i++) {
      const top = await run('docker', ['top', id]).catch(() => ({ stdout: '' }));
      if (top.stdout.includes('server.js')) elapsed = Date.now() - started;
    }
  } finally {
    await run('docker', ['rm', '-f', id]);
  }
  if (elapsed < 0) throw new Error('docker top never showed the server');
  return elapsed;
}
/** (a) The lab against the docker CLI, `rounds` times each after one warming round, as medians and a ratio. */
export async function benchFirstTree(rounds: number) {
  const { files } = serverFiles();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-bench-'));
  for (const file of files) fs.writeFileSync(path.join(dir, file.name), file.content);
  try {
    await labFirstTree(files); // warm the build cache for both
    await cliFirstTree(dir);
    const lab: number[] = [];
    const cli: number[] = [];
    for (let i = 0; i < rounds; i++) {
      lab.push(await labFirstTree(files));
      cli.push(await cliFirstTree(dir));
    }
    return {
      rounds,
      lab_ms: { median: median(lab), p95: percentile(lab, 95) },
      docker_cli_ms: { median: median(cli), p95: percentile(cli, 95) },
      ratio_median: round(median(lab) / median(cli), 2),
      target_ratio: 0.8,
    };
  } finally {
    await run('docker', ['rmi', '--no-prune', CLI_TAG]).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
