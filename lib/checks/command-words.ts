// Whether a learner's words name a command line. Learners write PID 1 in many reasonable ways: with or
// without the path, with or without the arguments, as `ps` shows it or as docker inspect does. What
// matters is that they name the right program (or the script an interpreter runs) and nothing else.

/** Names that are the same program here: Debian's /bin/sh is dash, and `nodejs` is node. */
const SAME_PROGRAM: Readonly<Record<string, string>> = { dash: 'sh', nodejs: 'node' };

/** Programs whose first argument, when it is not an option, is the script they run. */
const INTERPRETERS = new Set(['sh', 'bash', 'node', 'python3', 'python']);

/** The words of a command line, each without its path: `/bin/sh /app/start.sh` -> sh, start.sh. */
export function commandWords(text: string): string[] {
  return text
    .split(/[\s,[\]"'`]+/)
    .map((token) => token.replace(/^.*\//, '').toLowerCase())
    .filter(Boolean)
    .map((word) => SAME_PROGRAM[word] ?? word);
}

/**
 * True when `answer` names `command`: its first word is the command's program or the script that
 * program interprets, and every other word is part of the command line.
 */
export function namesCommand(answer: string, command: string): boolean {
  const given = commandWords(answer);
  const actual = commandWords(command);
  if (given.length === 0 || actual.length === 0) return false;
  const heads = new Set([actual[0]]);
  if (INTERPRETERS.has(actual[0]) && actual[1] && !actual[1].startsWith('-')) heads.add(actual[1]);
  const words = new Set(actual);
  return heads.has(given[0]) && given.every((word) => words.has(word));
}
