// The soak's figures and checks, from what it recorded and what it read back at the end.
import fs from 'node:fs';
import { FAULT_KINDS, GLOBAL_FAULTS, type SoakJournal } from './soak-journal';
import { describeProcess, type Leftovers } from './soak-leftovers';
import type { SoakOptions } from './soak-options';
import { faultsOf, faultTable, outcomeOf } from './soak-outcomes';
import type { DatabaseAttempts } from './soak-records';
import { formatCounts, recoveryFigures, serverLogErrors, type Figure, type SoakCheck } from './soak-report';

/** What the soak read back once the runs were over. */
export interface SoakEnd {
  durationMs: number;
  /** Every attempt the learners' GET /api/runs listed, by run id. */
  attempts: Map<string, string>;
  /** The `platform-error` messages learners saw, with how many runs saw each. */
  messages: Map<string, number>;
  draftsChecked: number;
  draftFindings: number;
  exitCode: number | null;
  database: DatabaseAttempts;
  leftovers: Leftovers;
  /** The soak's folder: the servers' logs. */
  dir: string;
}

function tally(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/** Everything left behind, one line each. */
export function describeLeftovers(leftovers: Leftovers): string[] {
  return [
    ...leftovers.containers.map((item) => `container ${item}`),
    ...leftovers.images.map((item) => `image ${item}`),
    ...leftovers.cgroups.map((item) => `cgroup ${item}`),
    ...leftovers.sockets.map((item) => `socket ${item}`),
    ...leftovers.processes.map((item) => `process ${describeProcess(item)}`),
  ];
}

export function summarize(options: SoakOptions, journal: SoakJournal, end: SoakEnd): [Figure[], SoakCheck[]] {
  const runs = [...journal.runs.values()];
  const { database, leftovers } = end;
  const outcomes = tally(runs.map((run) => outcomeOf(run, faultsOf(run, journal.faults))));
  const unannounced = [...database.ids].filter((id) => !journal.runs.has(id) && !journal.probes.has(id));
  const missingInDb = runs.filter((run) => !database.ids.has(run.runId)).length;
  const left = describeLeftovers(leftovers).length;
  const minutes = end.durationMs / 60_000;
  const servers = fs.readdirSync(end.dir).filter((name) => /^server-\d+\.log$/.test(name)).length;
  const outages = journal.faults
    .filter((fault) => GLOBAL_FAULTS.includes(fault.kind))
    .map((fault) => ({ kind: fault.kind, ms: fault.until - fault.at, rebuilt: fault.rebuilt }));
  const figures: Figure[] = [
    ['runs done', `${runs.length} of ${options.runs} (${options.learners} learners, ${options.parallel} at once)`],
    ['seed', `${options.seed}`],
    ['duration', `${minutes.toFixed(1)} min`],
    ['runs per minute', (runs.length / minutes).toFixed(1)],
    ['final statuses', formatCounts(tally(runs.map((run) => run.finalStatus ?? 'missing')))],
    ['outcomes', formatCounts(outcomes)],
    ['cases run', formatCounts(tally(runs.map((run) => `expected ${run.testCase.expected}`)))],
    ['faults injected', formatCounts(tally(journal.faults.map((fault) => fault.kind)))],
    ...faultTable(journal)
      .sort((a, b) => FAULT_KINDS.indexOf(a.kind) - FAULT_KINDS.indexOf(b.kind))
      .map(({ kind, injected, runs: ended }): Figure => [
        `  ${kind}`,
        `${injected}; runs reached: ${formatCounts(ended)}`,
      ]),
    ...recoveryFigures(journal.recoveries, outages),
    [
      'probe runs (timing recoveries)',
      formatCounts(tally([...journal.probes.values()].map((run) => run.finalStatus ?? 'missing'))),
    ],
    ['servers started', String(servers)],
    ['answers waited out', `${formatCounts(journal.retries)}; run starts with no answer: ${journal.unansweredStarts}`],
    [
      'drafts',
      `${journal.drafts.length} saved (${journal.drafts.filter((d) => d.saved === undefined).length} without an answer), ` +
        `${end.draftsChecked} read back`,
    ],
    ...[...end.messages].map(([message, n]): Figure => ['  error message seen', `${n}× "${message}"`]),
    [
      'attempts in the database',
      `${database.ids.size} (${formatCounts(database.byStatus)}); ${unannounced.length} never announced`,
    ],
    [
      'left on the second engine',
      `${leftovers.containers.length} containers, ${leftovers.images.length} run images ` +
        `(${leftovers.buildCache} build-cache layers kept on purpose)`,
    ],
    [
      'left on the host',
      `${leftovers.cgroups.length} lab cgroups, ${leftovers.sockets.length} learner sockets, ` +
        `${leftovers.processes.length} engine processes after its stop`,
    ],
    ['server exit code on SIGTERM', String(end.exitCode)],
    ['server log errors', formatCounts(serverLogErrors(end.dir))],
  ];
  const count = (outcome: string) => outcomes[outcome] ?? 0;
  const checks: SoakCheck[] = [
    { name: 'every run was started', ok: runs.length === options.runs, detail: `${runs.length} of ${options.runs}` },
    {
      name: 'every run has a final status',
      ok: count('NO FINAL STATUS') === 0,
      detail: `${count('NO FINAL STATUS')} without (${end.attempts.size} attempts listed)`,
    },
    { name: 'no wrong verdict', ok: count('WRONG VERDICT') === 0, detail: `${count('WRONG VERDICT')} wrong` },
    {
      name: 'no error without a fault',
      ok: count('error without a fault') === 0,
      detail: `${count('error without a fault')}`,
    },
    {
      name: 'no running attempt after SIGTERM',
      ok: !database.byStatus.running && missingInDb === 0 && unannounced.length <= journal.unansweredStarts,
      detail:
        `${database.byStatus.running ?? 0} running, ${missingInDb} announced runs missing, ` +
        `${unannounced.length} unannounced (≤ ${journal.unansweredStarts} starts with no answer)`,
    },
    {
      name: 'drafts read back as last saved',
      ok: end.draftFindings === 0,
      detail: `${end.draftFindings} of ${end.draftsChecked} differ`,
    },
    {
      name: "learners' cookies held on every server",
      ok: !journal.findings.some((finding) => finding.includes('made them a new learner')),
      detail: `${options.learners} learners across ${servers} servers`,
    },
    { name: 'server exits 0 on SIGTERM', ok: end.exitCode === 0, detail: `exit code ${end.exitCode}` },
    { name: 'nothing left behind', ok: left === 0, detail: `${left} item(s)` },
    { name: 'no finding', ok: journal.findings.length === 0, detail: `${journal.findings.length} finding(s)` },
  ];
  return [figures, checks];
}
