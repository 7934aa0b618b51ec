// The checks on a container's memory: its use as the lab read it from the memory cgroup, against its
// limit, and whether the kernel's OOM killer ended it (State.OOMKilled on a die event).
import type { Assertion } from '../lessons/exercise-schema';
import { NotReached, type ScenarioRecord, type Verdict } from './scenario-record';

const MiB = 1024 * 1024;
const mib = (bytes: number) => `${Math.round(bytes / MiB)} MiB`;

/** memory-below: the highest use the lab read stayed at or under `percent` of the limit. */
export function memoryBelow(assertion: Extract<Assertion, { type: 'memory-below' }>, record: ScenarioRecord): Verdict {
  const readings = record.of('memory');
  const expected = `the container's memory use stays at or under ${assertion.percent}% of its limit`;
  if (readings.length === 0) {
    // A container that never ran long enough to be read has nothing to judge; a lab that cannot read
    // memory cgroups here (a remote engine) cannot judge this check at all.
    if (record.of('container-start').length === 0) throw new NotReached('the container never started');
    throw new NotReached("the lab could not read the container's memory use on this engine");
  }
  const highest = readings.reduce((top, reading) => (reading.peakBytes > top.peakBytes ? reading : top));
  const oom = record.of('container-die').find((die) => die.oomKilled);
  const pass = !oom && highest.peakBytes <= (highest.limitBytes * assertion.percent) / 100;
  const share = Math.round((highest.peakBytes / highest.limitBytes) * 100);
  return {
    pass,
    expected,
    observed: oom
      ? `it reached its limit of ${mib(highest.limitBytes)}: the kernel's OOM killer ended it`
      : `at most ${mib(highest.peakBytes)} of its ${mib(highest.limitBytes)} limit (${share}%)`,
    evidence: oom ?? highest,
  };
}

/** no-oom-kill: no exit of the container was the OOM killer's. */
export function noOomKill(record: ScenarioRecord): Verdict {
  const dies = record.of('container-die');
  const oom = dies.filter((die) => die.oomKilled);
  return {
    pass: oom.length === 0,
    expected: 'the kernel never kills the container for using too much memory',
    observed: oom.length
      ? `the OOM killer ended it ${oom.length === 1 ? 'once' : `${oom.length} times`} (exit code 137, OOMKilled)`
      : dies.length
        ? 'no exit was an OOM kill'
        : 'it never exited before the lab stopped looking',
    evidence: oom[0] ?? dies.at(-1),
  };
}
