// What the incident apps share: the details every app gets from the seed, the plan each returns, and
// the pieces of Node.js and Dockerfile text they are assembled from.
import type { LearnerFile } from '../../sandbox/learner-files';
import type { SeededRandom } from '../seeded-random';

/** Details common to every incident app, drawn from the seed. */
export interface AppDetails {
  /** The service's name in its own log lines. */
  name: string;
  version: string;
  /** The application's main file in /app. */
  file: string;
  port: number;
  /** How long the app runs before it fails: long enough for the lab to see PID 1. */
  failAfterMs: number;
}

/** How an app is staged, and what the lab must observe when it is. */
export interface AppPlan {
  /** The image's files: a Dockerfile FROM lab/node and the app. */
  files: LearnerFile[];
  /** `docker run -e`. */
  env: Record<string, string>;
  /** A memory limit tighter than the sandbox's, in MiB. */
  memoryMb?: number;
  /** Someone runs `docker kill --signal SIGKILL` this long after the container prints a line matching `output`. */
  killAfter?: { output: string; delayMs: number };
  /** Someone runs `docker stop -t <timeoutSec>` this long after the container prints a line matching `output`. */
  stopAfter?: { output: string; delayMs: number; timeoutSec: number };
  /** What must be observed; anything else means the incident did not happen as designed (a platform fault). */
  expected: {
    /** PID 1's command line; when Docker cannot start it, what Docker tried to start (Path, then Args). */
    pid1Command: string;
    exitCode: number;
    oomKilled: boolean;
    /** Docker refuses to start PID 1 (State.Error says why): it never runs. */
    startRefused?: boolean;
    /** The signals Docker delivers to PID 1, in order (its kill events); unchecked when absent. */
    sentSignals?: string[];
  };
  /** When PID 1 is a wrapper: the code the application under it exited with, as its logs tell. */
  appExitCode?: number;
}

/** A Dockerfile FROM lab/node with the app in /app. */
export function dockerfile(lines: string[]): LearnerFile {
  return { name: 'Dockerfile', content: ['FROM lab/node', 'WORKDIR /app', ...lines].join('\n') + '\n' };
}

/** The Dockerfile of a node app that is PID 1: `CMD ["node", "<file>"]`, or `ENTRYPOINT ["node"]` with the file as CMD. */
export function nodeAppDockerfile(random: SeededRandom, file: string): LearnerFile {
  const start = random.pick([[`CMD ["node", "${file}"]`], [`ENTRYPOINT ["node"]`, `CMD ["${file}"]`]]);
  return dockerfile([`COPY ${file} .`, ...start]);
}

/**
 * The CMD line for a command, and the PID 1 command line it gives. The shell form runs the command
 * under `/bin/sh -c`, and Debian's sh (dash) stays as PID 1 with the command as its child.
 */
export function cmd(form: 'exec' | 'shell', argv: string[]): { line: string; pid1Command: string } {
  if (form === 'exec')
    return { line: `CMD ${JSON.stringify(argv).replaceAll('","', '", "')}`, pid1Command: argv.join(' ') };
  return { line: `CMD ${argv.join(' ')}`, pid1Command: `/bin/sh -c ${argv.join(' ')}` };
}

/** The first lines of every app: a timestamped logger and the start-up line. */
export function prelude(app: AppDetails): string {
  return [
    `'use strict';`,
    `const log = (message) => console.log(\`\${new Date().toISOString()} \${message}\`);`,
    `const warn = (message) => console.error(\`\${new Date().toISOString()} \${message}\`);`,
    `log('${app.name} ${app.version} starting (node ' + process.version + ')');`,
  ].join('\n');
}

/** A JavaScript string literal. */
export function js(text: string): string {
  return JSON.stringify(text);
}
