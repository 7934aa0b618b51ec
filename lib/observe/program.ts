// What program a process runs, read from its argv the way a person reads it: the executable, and for
// an interpreter the script it runs. `/usr/bin/node --enable-source-maps /app/server.js`, `node
// server` and `./server.js` under node are all "node server.js"; `/usr/bin/python3 /usr/bin/supervisord
// -n` is supervisord; `/bin/sh -c "node server.js"` is a shell, whatever its text says.

/** A program as an exercise names it: an executable, and for interpreters the script. */
export interface ProgramSpec {
  /** The executable's name, e.g. `node`, `python3`, `supervisord`, `tini`, `sh`. */
  program: string;
  /** The script an interpreter runs, e.g. `server.js`, `main.py` (any path to a file of that name). */
  script?: string;
}

/** What a process runs, as read from its argv. */
export interface RunningProgram {
  /** The executable's name (no path). */
  executable: string;
  /** For an interpreter: the script's path as given, or null for code given inline (`-e`, `-c`) or none. */
  script: string | null;
  /** For an interpreter run with `-m`: the module. */
  module?: string;
}

/** Interpreters, by executable name, with their options that take the next argument as a value. */
const INTERPRETERS: { name: RegExp; family: string; valued: Set<string>; inline: Set<string>; module?: string }[] = [
  {
    name: /^(node|nodejs)$/,
    family: 'node',
    valued: new Set([
      '-r',
      '--require',
      '--import',
      '--loader',
      '--experimental-loader',
      '-C',
      '--conditions',
      '--title',
      '--env-file',
      '--input-type',
      '--inspect-port',
    ]),
    inline: new Set(['-e', '--eval', '-p', '--print']),
  },
  {
    name: /^python(\d+(\.\d+)?)?$/,
    family: 'python3',
    valued: new Set(['-W', '-X', '-Q']),
    inline: new Set(['-c']),
    module: '-m',
  },
  { name: /^(ba|da|a|z|k)?sh$/, family: 'sh', valued: new Set(['-o', '+o', '-O', '+O']), inline: new Set(['-c']) },
  { name: /^perl(\d.*)?$/, family: 'perl', valued: new Set(['-I', '-M', '-m']), inline: new Set(['-e', '-E']) },
  { name: /^ruby(\d.*)?$/, family: 'ruby', valued: new Set(['-I', '-r']), inline: new Set(['-e']) },
];

const basename = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** The argv of a sampled process: its recorded argv, or its command line split on spaces. */
export function argvOf(process: { argv?: string[]; command: string }): string[] {
  if (process.argv?.length) return process.argv;
  const zombie = /^\[(.+)\]$/.exec(process.command);
  if (zombie) return [zombie[1]];
  return process.command.split(/\s+/).filter(Boolean);
}

/** What the argv runs; `exe` (the real executable, when known) wins over argv[0], which can say anything. */
export function runningProgram(argv: string[], exe?: string): RunningProgram {
  const executable = basename(exe ?? argv[0] ?? '');
  const interpreter = INTERPRETERS.find((candidate) => candidate.name.test(executable));
  if (!interpreter) return { executable, script: null };
  for (let i = 1; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--') return { executable, script: argv[i + 1] ?? null };
    // Code given inline, alone (`-c`) or in a cluster of short options (`-ec`, `-uc`).
    const cluster = /^-[a-zA-Z]+$/.test(arg);
    if (
      interpreter.inline.has(arg) ||
      (cluster && [...interpreter.inline].some((flag) => flag.length === 2 && arg.includes(flag[1])))
    ) {
      return { executable, script: null };
    }
    if (interpreter.module && (arg === interpreter.module || (arg.startsWith(interpreter.module) && arg.length > 2))) {
      return { executable, script: null, module: arg === interpreter.module ? argv[i + 1] : arg.slice(2) };
    }
    if (interpreter.valued.has(arg)) {
      i += 1;
      continue;
    }
    if (arg.startsWith('-') || arg.startsWith('+')) continue;
    return { executable, script: arg };
  }
  return { executable, script: null };
}

/** The family an executable belongs to for matching: `nodejs` is node, `python3.11` is python3. */
function familyOf(executable: string): string {
  return INTERPRETERS.find((candidate) => candidate.name.test(executable))?.family ?? executable;
}

/** True when a script path names the spec's script: the same file name (node also resolves `server` to `server.js`). */
function sameScript(path: string, script: string, family: string): boolean {
  const name = basename(path.replace(/\/+$/, ''));
  if (name === script) return true;
  return family === 'node' && ['.js', '.mjs', '.cjs'].some((extension) => `${name}${extension}` === script);
}

/** True when the argv runs the program the spec names, however it is spelled. */
export function runsProgram(argv: string[], spec: ProgramSpec, exe?: string): boolean {
  const running = runningProgram(argv, exe);
  const family = familyOf(running.executable);
  const wanted = familyOf(spec.program);
  if (family === wanted) {
    if (!spec.script) return true;
    if (running.module) return `${running.module.replace(/\./g, '/')}.py`.endsWith(spec.script);
    return running.script !== null && sameScript(running.script, spec.script, family);
  }
  // A program that is itself a script run by an interpreter (supervisord under python3); a shell script
  // that only bears the name is a shell.
  return !spec.script && family !== 'sh' && running.script !== null && basename(running.script) === spec.program;
}

/** The spec as a person says it: `node server.js`. */
export function describeProgram(spec: ProgramSpec): string {
  return spec.script ? `${spec.program} ${spec.script}` : spec.program;
}

/** A process as an exercise names it: a program, or (for what is not a program) a regular expression over the command line. */
export type ProcessMatcher = string | ProgramSpec;

/** True when the sampled process is the one the matcher names. */
export function matchesProcess(
  process: { argv?: string[]; command: string; exe?: string },
  matcher: ProcessMatcher,
): boolean {
  return typeof matcher === 'string'
    ? new RegExp(matcher).test(process.command)
    : runsProgram(argvOf(process), matcher, process.exe);
}

/** What the matcher runs, in a learner's words: `node server.js`, or `a command matching /regex/`. */
export function describeMatcher(matcher: ProcessMatcher): string {
  return typeof matcher === 'string' ? `a command matching /${matcher}/` : describeProgram(matcher);
}

/** A process the matcher names: `process running node server.js`, or `process matching /regex/`. */
export function processPhrase(matcher: ProcessMatcher): string {
  return typeof matcher === 'string' ? `process matching /${matcher}/` : `process running ${describeProgram(matcher)}`;
}

/** What a process is to the lessons: the kinds of PID 1 a learner's container ends up with. */
export type ProcessRole = 'shell' | 'init' | 'supervisor' | 'placeholder' | 'program';

const INITS = /^(tini|tini-static|docker-init|dumb-init|catatonit)$/;
const SUPERVISORS = /^(supervisord|s6-svscan|runsvdir|pm2|pm2-runtime)$/;
const PLACEHOLDERS = /^(sleep|tail|cat|yes|true)$/;

/** The role of the process the argv runs. */
export function roleOf(argv: string[], exe?: string): ProcessRole {
  const running = runningProgram(argv, exe);
  const name = running.executable;
  if (INITS.test(name)) return 'init';
  if (SUPERVISORS.test(name) || (running.script && SUPERVISORS.test(basename(running.script)))) return 'supervisor';
  if (familyOf(name) === 'sh') return 'shell';
  if (PLACEHOLDERS.test(name)) return 'placeholder';
  return 'program';
}
