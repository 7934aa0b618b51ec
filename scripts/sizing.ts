// `npm run sizing -- --learners 60 [--exercise <id>] [--target 20]`: how many cores and how much memory a
// class needs for a time to result, from what runs cost on this lab's engine: docs/bench/run-cost.json,
// written by `BENCH_ONLY=j BENCH_WRITE=1 npm run bench` (j). Without --exercise, the costliest exercise
// of the curriculum. The model (lib/capacity/sizing.ts) is checked against the measured load tests
// (docs/bench/workshop-load.json, (i)) and the check is printed with the answer.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { config } from '../lib/config';
import { p95Seconds, sizeFor, type RunCost } from '../lib/capacity/sizing';

const DIR = path.resolve(process.cwd(), 'docs', 'bench');

interface CostFile {
  machine: { cpus: number; memory_gib: number; measured_at: string };
  exercises: { exercise: string; lab_cpu_s_per_run: number; lab_alone_s_per_run: number }[];
}
interface LoadFile {
  runs: { learners: number; exercise: string; cores: number; p95_s: number }[];
}

function usage(message: string): never {
  console.error(
    `sizing: ${message}\nusage: npm run sizing -- --learners N [--exercise <id>] [--target <seconds, default 20>]`,
  );
  process.exit(2);
}

const { values } = parseArgs({
  options: { learners: { type: 'string' }, exercise: { type: 'string' }, target: { type: 'string', default: '20' } },
});
const learners = Number(values.learners);
const target = Number(values.target);
if (!Number.isInteger(learners) || learners < 1) usage('--learners must be a whole number ≥ 1');
if (!(target > 0)) usage('--target must be a number of seconds > 0');
const costFile = path.join(DIR, 'run-cost.json');
if (!fs.existsSync(costFile))
  usage(`no measured costs in ${costFile}: run BENCH_ONLY=j BENCH_WRITE=1 npm run bench first`);
const costs = JSON.parse(fs.readFileSync(costFile, 'utf8')) as CostFile;
const row = values.exercise
  ? costs.exercises.find((candidate) => candidate.exercise === values.exercise)
  : [...costs.exercises].sort((a, b) => b.lab_cpu_s_per_run - a.lab_cpu_s_per_run)[0];
if (!row)
  usage(`no measured cost for ${values.exercise}; measured: ${costs.exercises.map((e) => e.exercise).join(', ')}`);
// The load tests also start each learner's terminal, join them and follow the dashboard: the model is
// scaled by how far it fell short of them (never down).
const loadFile = path.join(DIR, 'workshop-load.json');
const checks = (
  fs.existsSync(loadFile) ? (JSON.parse(fs.readFileSync(loadFile, 'utf8')) as LoadFile).runs : []
).flatMap((run) => {
  const measured = costs.exercises.find((candidate) => candidate.exercise === run.exercise);
  if (!measured) return [];
  const cost = { cpuSeconds: measured.lab_cpu_s_per_run, aloneSeconds: measured.lab_alone_s_per_run };
  return [{ ...run, model: p95Seconds(cost, run.learners, run.cores) }];
});
const scale = Math.max(1, checks.reduce((sum, run) => sum + run.p95_s / run.model, 0) / Math.max(1, checks.length));
const cost: RunCost = { cpuSeconds: row.lab_cpu_s_per_run * scale, aloneSeconds: row.lab_alone_s_per_run };
const sizing = sizeFor(cost, { learners, targetP95Seconds: target }, config().LAB_RUN_MEMORY_MB);

console.log(`A class of ${learners} pressing Run together on ${row.exercise}`);
console.log(
  `  a run costs ${row.lab_cpu_s_per_run} CPU-s and takes ${row.lab_alone_s_per_run} s alone (measured on ${costs.machine.cpus} cores, ${costs.machine.measured_at})`,
);
if (sizing.unreachable) console.log(`  ${sizing.unreachable}`);
console.log(
  `  needs ${sizing.cores} cores and ${sizing.memoryGiB} GiB of memory for a p95 time to result of ${sizing.p95Seconds} s (target ${target} s)`,
);
if (checks.length) {
  console.log(
    `The model against the measured load tests (the answer above is scaled by ${scale.toFixed(2)} to meet them):`,
  );
  for (const run of checks)
    console.log(
      `  ${run.learners} learners on ${run.cores} cores: measured p95 ${run.p95_s} s, model ${run.model.toFixed(1)} s`,
    );
}
