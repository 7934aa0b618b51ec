// The soak's summary: the figures as a table, then each check with its verdict, then every finding.
import fs from 'node:fs';
import path from 'node:path';
import type { FaultKind, Recovery } from './soak-journal';

/** One check of the soak: what it holds the lab to, whether it held, and the figure behind it. */
export interface SoakCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/** A row of the figures table. */
export type Figure = [label: string, value: string];

const count = (record: Record<string, number>) =>
  Object.entries(record)
    .sort(([, a], [, b]) => b - a)
    .map(([key, n]) => `${key} ${n}`)
    .join(', ') || 'none';

export { count as formatCounts };

function quantiles(values: number[]): string {
  if (values.length === 0) return 'none';
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  return `median ${(median / 1000).toFixed(1)} s, max ${(sorted[sorted.length - 1] / 1000).toFixed(1)} s (n=${values.length})`;
}

/**
 * Figures for the outages themselves and for the time until a learner's run was judged again (from the
 * fault's start, the probe's runs), by fault kind;
 * a server start that rebuilt the web app first (its sources changed under the soak) is left out and counted.
 */
export function recoveryFigures(recoveries: Recovery[], outages: Recovery[]): Figure[] {
  const kinds: FaultKind[] = ['server-kill', 'engine-crash', 'engine-restart'];
  const figure = (list: Recovery[], kind: FaultKind) => {
    const mine = list.filter((item) => item.kind === kind);
    const rebuilt = mine.filter((item) => item.rebuilt).length;
    const times = quantiles(mine.filter((item) => !item.rebuilt).map((item) => item.ms));
    return rebuilt ? `${times}; ${rebuilt} more across a rebuild of the web app, not counted` : times;
  };
  return kinds.flatMap((kind): Figure[] => [
    [`${kind}: back up after`, figure(outages, kind)],
    [`${kind}: a run judged again after`, figure(recoveries, kind)],
  ]);
}

/** The error lines of every server's log, grouped by message (the fields after it differ run to run). */
export function serverLogErrors(dir: string): Record<string, number> {
  const errors: Record<string, number> = {};
  for (const file of fs.readdirSync(dir).filter((name) => /^server-\d+\.log$/.test(name))) {
    for (const line of fs.readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      const match = /^\S+ error (.*?)(?= \w+=|$)/.exec(line);
      if (match) errors[match[1]] = (errors[match[1]] ?? 0) + 1;
    }
  }
  return errors;
}

/** Prints the table, the checks and the findings to stdout. */
export function printReport(figures: Figure[], checks: SoakCheck[], findings: string[]): void {
  const width = Math.max(...figures.map(([label]) => label.length), ...checks.map((check) => check.name.length));
  const line = '-'.repeat(Math.min(160, width + 60));
  console.log(`\n${line}\nSoak figures\n${line}`);
  for (const [label, value] of figures) console.log(`${label.padEnd(width)}  ${value}`);
  console.log(`${line}\nChecks\n${line}`);
  for (const check of checks)
    console.log(`${check.ok ? 'ok  ' : 'FAIL'}  ${check.name.padEnd(width)}  ${check.detail}`);
  if (findings.length) console.log(`${line}\nFindings: ${findings.length}\n${line}`);
  for (const finding of findings) console.log(`- ${finding}`);
  const failed = checks.filter((check) => !check.ok).length;
  console.log(
    `${line}\nsoak: ${checks.length - failed} checks passed, ${failed} failed, ${findings.length} finding(s)`,
  );
}
