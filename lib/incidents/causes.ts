// Why a container's main process exited: the causes a learner chooses from in a diagnosis exercise.
// Each one names what explains the exit code Docker recorded for PID 1, and the lab can produce each.

/** The cause ids, in the order the instructions list them. */
export const CAUSES = [
  'config-error',
  'crashed',
  'exit-code-swallowed',
  'oom-killed',
  'killed-by-signal',
  'command-not-runnable',
  'daemonized',
  'stop-timed-out',
] as const;

/** One cause id. */
export type Cause = (typeof CAUSES)[number];

/** What each cause means, in the learner's terms. */
export const CAUSE_MEANINGS: Readonly<Record<Cause, string>> = Object.freeze({
  'config-error': 'the application refused its configuration and exited with a code of its own choosing',
  crashed: 'the application hit an error it did not handle and exited with a failure code',
  'exit-code-swallowed':
    "PID 1 is a wrapper script: the application under it failed, and the script exited with a code that hides the application's",
  'oom-killed':
    "the container reached its memory limit and the kernel's OOM killer ended the process (State.OOMKilled is true)",
  'killed-by-signal':
    'a signal ended the process, and neither the OOM killer nor a docker stop that ran out of time sent it: docker kill, or a signal the process received or raised (code 128 + n)',
  'command-not-runnable':
    'the command Docker, or a script, was to run could not be run at all: not found (127) or not executable (126); the application never started',
  daemonized:
    'PID 1 started a copy of itself in the background and exited with 0 at once; the container ended with PID 1, and the copy with it',
  'stop-timed-out':
    'docker stop sent SIGTERM, PID 1 did not exit within the grace period, and Docker then sent SIGKILL (137, OOMKilled false)',
});

/** True when `value` is a cause id. */
export function isCause(value: string): value is Cause {
  return (CAUSES as readonly string[]).includes(value);
}
