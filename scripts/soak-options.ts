// The soak's command line and its seeded randomness. Every random choice (which case a learner runs,
// when a fault lands, what a draft says) comes from a stream derived from one seed, printed at the
// start, so `--seed` replays the same choices; the engine's and the server's timing still vary.
import { createHash, randomInt } from 'node:crypto';
import { SeededRandom } from '../lib/incidents/seeded-random';

/** What `npm run soak -- ...` asks for. */
export interface SoakOptions {
  runs: number;
  seed: number;
  learners: number;
  /** Runs in flight at once, across learners. */
  parallel: number;
}

const USAGE = 'usage: npm run soak -- [--runs 500] [--seed N] [--learners 12] [--parallel 3]';

/** Parses `--runs`, `--seed`, `--learners`, `--parallel`; throws with the usage on anything else. */
export function parseSoakOptions(argv: string[]): SoakOptions {
  const options: SoakOptions = { runs: 500, seed: randomInt(1, 2 ** 31), learners: 12, parallel: 3 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const name = flag.replace(/^--/, '') as keyof SoakOptions;
    if (!flag.startsWith('--') || !(name in options)) throw new Error(`unknown argument ${argv[i]}\n${USAGE}`);
    const value = inline ?? argv[++i];
    if (!/^\d+$/.test(value ?? '') || Number(value) < 1) throw new Error(`${flag} needs a whole number ≥ 1\n${USAGE}`);
    options[name] = Number(value);
  }
  return options;
}

/** A seeded pseudo-random stream: the incidents' mulberry32, the same sequence on every machine. */
export class Random extends SeededRandom {
  constructor(readonly seed: number) {
    super(seed);
  }

  /** A stream of its own for one consumer, so that one learner's choices do not shift another's. */
  fork(label: string): Random {
    const digest = createHash('sha256').update(`${this.seed}/${label}`).digest();
    return new Random(digest.readUInt32LE(0));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** One of the keys, with the given weights. */
  weighted<K extends string>(weights: Record<K, number>): K {
    const entries = Object.entries(weights) as [K, number][];
    let left = this.next() * entries.reduce((sum, [, weight]) => sum + weight, 0);
    for (const [key, weight] of entries) {
      left -= weight;
      if (left < 0) return key;
    }
    return entries[entries.length - 1][0];
  }

  /** A few random hex characters, for draft contents. */
  hex(length: number): string {
    let text = '';
    while (text.length < length) text += this.int(0, 15).toString(16);
    return text;
  }
}
