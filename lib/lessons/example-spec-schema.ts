// What a lesson's example comment holds, validated with zod: the example's files, how it runs, and the
// claims the lesson makes about it. lessons/README.md documents the convention for authors.
import { z } from 'zod';

/** A command line as `ps -o args` prints it, e.g. `sh -c node server.js & sleep infinity`. */
const commandLine = z.string().min(1);
const fileName = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9._-]*$/, 'a plain file name');
const RESTART = /^(no|always|unless-stopped|on-failure(:\d+)?)$/;

/** What the comment holds: the example's files, how it runs, and the claims the lesson makes about it. */
export const ExampleSpecSchema = z
  .object({
    /** Names of the fenced blocks from the comment on, in order (prose may stand between them). */
    files: z.array(fileName).default(['Dockerfile']),
    /** The CMD the text names, when no Dockerfile block is shown: a string is the shell form, an array the exec form. */
    cmd: z.union([z.string().min(1), z.array(z.string()).min(1)]).optional(),
    /** The ENTRYPOINT (exec form), when no Dockerfile block is shown. */
    entrypoint: z.array(z.string()).min(1).optional(),
    /** An exercise of the same lesson whose starter files (never its Dockerfile) supply the files the example does not show. */
    exercise: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).optional(),
    /** `docker run` options: `--init`, `-e`, `--restart` (as written on the command line). */
    run: z
      .object({
        init: z.boolean().default(false),
        env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).default({}),
        restart: z.string().regex(RESTART, 'no, always, unless-stopped or on-failure[:N]').default('no'),
      })
      .strict()
      .default({ init: false, env: {}, restart: 'no' }),
    /** Processes (command lines) to wait for before acting; by default PID 1 and the children claimed. */
    waitFor: z.array(commandLine).optional(),
    /** Text the program writes once it is ready (its handlers installed): waited for after the processes. */
    ready: z.string().min(1).optional(),
    /** A command run in the container once it is up (`docker exec`), such as a `pkill`. */
    exec: z.array(z.string()).min(1).optional(),
    /** Time to let pass after that before the processes are observed. */
    waitMs: z.number().int().positive().max(20_000).optional(),
    /** `docker stop -t <stop>` after the observation. */
    stop: z.number().int().min(0).max(30).optional(),
    expect: z
      .object({
        /** PID 1's command line, exactly. */
        pid1: commandLine.optional(),
        /** Every other live process, each a child of PID 1 (ps's own line and zombies aside). */
        children: z.array(commandLine).optional(),
        /** Zombies as ps shows them: `[sleep] <defunct>`. */
        zombies: z.array(commandLine).optional(),
        /** The container is still running when observed. */
        running: z.literal(true).optional(),
        /** Text the container writes (stdout or stderr). */
        output: z.array(z.string().min(1)).optional(),
        /** The code Docker records for every exit of PID 1. */
        exitCode: z.number().int().min(0).max(255).optional(),
        /** The container exits within this long of `docker stop` (with `stop`), else of its start. */
        exitWithinMs: z.number().int().positive().max(30_000).optional(),
        /** How many times the restart policy restarted it. */
        restarts: z.number().int().min(0).max(10).optional(),
        /** The exit code of the `exec` command. */
        execExitCode: z.number().int().optional(),
        /** Processes started again after the `exec` command ended them (by a supervisor): new PIDs. */
        respawned: z.array(commandLine).optional(),
      })
      .strict(),
  })
  .strict()
  .refine((spec) => spec.expect.pid1 !== undefined || spec.expect.exitCode !== undefined, { message: 'an example claims at least pid1 or exitCode' })
  .refine((spec) => spec.files.includes('Dockerfile') !== (spec.cmd !== undefined || spec.entrypoint !== undefined), {
    message: 'the Dockerfile is either one of the files shown or made from cmd/entrypoint, not both and not neither',
  })
  .refine((spec) => !spec.expect.children || spec.expect.pid1, { message: 'children are claimed with pid1' })
  .refine((spec) => (spec.expect.execExitCode === undefined && !spec.expect.respawned) || spec.exec, { message: 'execExitCode and respawned need exec' })
  .refine((spec) => (spec.stop === undefined && !spec.exec) || (spec.waitFor ?? [spec.expect.pid1]).some(Boolean), {
    message: 'stop and exec act on a running container: claim pid1 or give waitFor',
  });
export type ExampleSpec = z.infer<typeof ExampleSpecSchema>;
