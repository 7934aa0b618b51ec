// (j) of `npm run bench`: what a run costs the machine in CPU-seconds, for each build exercise's
// solution, next to the same scenarios driven by a plain script of docker CLI calls on the same engine in
// the same run (bench-cost-cli.ts), and where the cost goes (cpu-meter.ts): the lab process (by phase:
// build, scenarios, the rest), dockerd and containerd, the containerd shims, the containers' own
// processes (their cgroups), and the rest of the machine (runc, the kernel's work for them).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { allExercises, caseFiles, loadCurriculum, type BuildExercise } from '../lib/lessons/curriculum';
import { Timeline } from '../lib/observe/timeline';
import { runExercise } from '../lib/runner/run-exercise';
import { isScript } from '../lib/sandbox/build-files';
import { cliRun } from './bench-cost-cli';
import { engine, OWNER } from './bench-engine';
import { addCost, cliSeconds, emptyCost, idleRate, labSeconds, measure, type Cost } from './cpu-meter';

const run = promisify(execFile);
const round = (value: number, digits = 2) => Number(value.toFixed(digits));

/** The lab's run of an exercise's solution, with the lab process's CPU per phase. */
async function labRun(exercise: BuildExercise, phases: Record<string, number>): Promise<void> {
  const timeline = new Timeline();
  let mark = labSeconds();
  let phase = 'before the build';
  const enter = (next: string) => {
    const now = labSeconds();
    phases[phase] = (phases[phase] ?? 0) + now - mark;
    mark = now;
    phase = next;
  };
  const stop = timeline.subscribe((event) => {
    if (event.type === 'build-start') enter('build');
    else if (event.type === 'build-end') enter('scenarios');
    else if (event.type === 'scenario-end') enter('between and after scenarios');
    else if (event.type === 'scenario-start') enter('scenarios');
  });
  const outcome = await runExercise({
    engine,
    exercise,
    files: caseFiles(exercise, 'solution'),
    owner: OWNER,
    timeline,
  });
  stop();
  enter('done');
  if (outcome.status !== 'pass')
    throw new Error(`${exercise.id}: its solution did not pass in the bench (${outcome.status})`);
}

/** (j) for every build exercise: `runs` runs of its solution by the lab and by the CLI script, alternately. */
export async function benchRunCost(runs: number, only?: string) {
  const exercises = allExercises(loadCurriculum()).filter(
    (exercise): exercise is BuildExercise => exercise.kind === 'build' && (!only || exercise.id.includes(only)),
  );
  const idle = await idleRate();
  const rows = [];
  const phases: Record<string, number> = {};
  const sum = { lab: emptyCost(), cli: emptyCost() };
  for (const exercise of exercises) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-bench-cost-'));
    const tag = `lab-bench-cost:${exercise.name}`;
    // Scripts executable, as the lab sends them to the builder.
    for (const file of caseFiles(exercise, 'solution'))
      fs.writeFileSync(path.join(dir, file.name), file.content, { mode: isScript(file) ? 0o755 : 0o644 });
    try {
      await labRun(exercise, {}); // warm both caches
      await cliRun(exercise, dir, tag);
      const lab = emptyCost();
      const cli = emptyCost();
      let labWall = 0;
      for (let i = 0; i < runs; i++) {
        const began = Date.now();
        addCost(lab, await measure(() => labRun(exercise, phases), labSeconds, idle));
        labWall += (Date.now() - began) / 1000;
        addCost(cli, await measure(() => cliRun(exercise, dir, tag), cliSeconds, idle));
      }
      addCost(sum.lab, lab);
      addCost(sum.cli, cli);
      rows.push({
        exercise: exercise.id,
        lab_cpu_s_per_run: round(lab.total / runs),
        lab_alone_s_per_run: round(labWall / runs, 1),
        cli_cpu_s_per_run: round(cli.total / runs),
        ratio: round(lab.total / Math.max(cli.total, 1e-9)),
      });
    } finally {
      await run('docker', ['rmi', tag]).catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const count = runs * exercises.length;
  const perRun = (cost: Cost) =>
    Object.fromEntries(Object.entries(cost).map(([key, value]) => [key, round(value / count)]));
  return {
    runs_per_exercise: runs,
    idle_machine_cpu_per_s: round(idle, 3),
    exercises: rows,
    lab_cpu_s_per_run: perRun(sum.lab),
    cli_cpu_s_per_run: { ...perRun(sum.cli), driver_is: 'the docker CLI processes' },
    ratio: round(sum.lab.total / Math.max(sum.cli.total, 1e-9)),
    lab_process_by_phase_s_per_run: Object.fromEntries(
      Object.entries(phases).map(([name, seconds]) => [name, round(seconds / count, 3)]),
    ),
  };
}
