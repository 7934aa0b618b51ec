// no-zombies: a process that exited stays in the tree as a zombie until its parent waits for it. An
// orphan's parent is PID 1, so a PID 1 that never waits (a plain app) piles them up; an init reaps them.
import type { Assertion } from '../lessons/exercise-schema';
import type { EventOf, ProcessInfo } from '../observe/timeline-event';
import { named, type ScenarioRecord, type Verdict } from './scenario-record';

/** One zombie as the samples showed it: from the first sample in state Z to the first one without it. */
interface Zombie {
  process: ProcessInfo;
  parent?: ProcessInfo;
  from: number;
  until?: number;
  /** Its parent waited for it: a later sample of the running container no longer showed it. */
  reaped?: boolean;
  seen: EventOf<'snapshot'>;
}

/** Every zombie the samples of the scenario showed, each with how long it stayed one. */
export function zombiesOf(record: ScenarioRecord): Zombie[] {
  const all: Zombie[] = [];
  let open = new Map<number, Zombie>();
  const closeAll = (t: number) => {
    for (const zombie of open.values()) zombie.until = t;
    open = new Map();
  };
  for (const event of record.events) {
    if (event.type === 'container-die' || event.type === 'container-start') closeAll(event.t);
    if (event.type !== 'snapshot') continue;
    const now = new Map(event.processes.filter((p) => p.state === 'Z').map((p) => [p.hostPid ?? p.pid, p]));
    for (const [key, zombie] of open)
      if (!now.has(key)) {
        zombie.until = event.t;
        zombie.reaped = event.processes.length > 0;
        open.delete(key);
      }
    for (const [key, process] of now)
      if (!open.has(key)) {
        const zombie = {
          process,
          parent: event.processes.find((p) => p.pid === process.ppid),
          from: event.t,
          seen: event,
        };
        open.set(key, zombie);
        all.push(zombie);
      }
  }
  closeAll(record.events.at(-1)?.t ?? 0);
  return all;
}

/** no-zombies: no process stayed a zombie longer than `lingerMs`. */
export function noZombies(assertion: Extract<Assertion, { type: 'no-zombies' }>, record: ScenarioRecord): Verdict {
  const zombies = zombiesOf(record);
  const age = (zombie: Zombie) => (zombie.until ?? zombie.from) - zombie.from;
  const lingering = zombies.filter((zombie) => age(zombie) > assertion.lingerMs);
  const expected =
    assertion.lingerMs > 0
      ? `no process left a zombie for more than ${assertion.lingerMs} ms: something waits for every process that exits`
      : 'no zombie process in the tree';
  if (lingering.length === 0)
    return {
      pass: true,
      expected,
      observed: zombies.length
        ? `${zombies.length} zombie(s) seen, each reaped within ${Math.max(...zombies.map(age))} ms`
        : 'no zombie was seen',
      evidence: zombies[0]?.seen,
    };
  const worst = lingering.reduce((a, b) => (age(b) > age(a) ? b : a));
  const parent = worst.parent ? named(worst.parent) : `PID ${worst.process.ppid}`;
  return {
    pass: false,
    expected,
    observed: `${zombies.length} zombie(s) seen, ${lingering.length} for longer; PID ${worst.process.pid} (${worst.process.command}) stayed one ${age(worst)} ms under its parent ${parent}, ${worst.reaped ? 'which waited for it only then' : 'which never waited for it'}`,
    evidence: worst.seen,
  };
}
