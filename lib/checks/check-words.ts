// The words a check's result uses for what an exercise names by pattern or by id: a learner reads
// "a line saying "server listening"" or "within 2000 ms of docker stop", never a regular expression or
// a step's id. A pattern that is plain text is quoted; one that is a real regular expression is named
// by what it stands for (the exercise gives those checks an `expect` sentence of their own).
import { describeMatcher, processPhrase, type ProcessMatcher } from '../observe/program';
import type { EventOf } from '../observe/timeline-event';

/** Characters that make a pattern more than plain text. */
const REGEX_SYNTAX = /[\\^$.|?*+()[\]{}]/;

/** The pattern's text when it matches nothing but itself (no regular expression syntax), else null. */
export function plainText(pattern: string): string | null {
  return REGEX_SYNTAX.test(pattern) ? null : pattern;
}

/** `saying "text"` for a plain pattern, else the fallback. */
export function sayingOr(pattern: string, fallback: string): string {
  const text = plainText(pattern);
  return text === null ? fallback : `saying "${text}"`;
}

/** The program a matcher names: `node server.js`, or for a pattern, the command it is plainly, or words. */
export function programWords(matcher: ProcessMatcher): string {
  if (typeof matcher !== 'string') return describeMatcher(matcher);
  const text = plainText(matcher);
  return text === null ? 'the program this check looks for' : `a command with "${text}" in it`;
}

/** A process a matcher names, after an article: `process running node server.js`. */
export function processWords(matcher: ProcessMatcher): string {
  if (typeof matcher !== 'string') return processPhrase(matcher);
  const text = plainText(matcher);
  return text === null ? 'process this check looks for' : `process whose command has "${text}" in it`;
}

/**
 * The moment a step ended, as the learner reads it. Its time is left to the evidence: a wait cut short
 * by the container's exit ends early, and "at 0.8 s" under a title saying "after 5 s" reads as a bug.
 */
export function momentWords(): string {
  return 'when the lab looked';
}

/**
 * A step as the learner knows it, from what the lab did (its kind and description), never its id:
 * `docker stop`, `the SIGKILL the lab sent`, `the lab's command in the container`.
 */
export function stepWords(start: Pick<EventOf<'action-start'>, 'kind' | 'detail'>): string {
  switch (start.kind) {
    case 'stop':
      return 'docker stop';
    case 'signal': {
      const signal = /^send (\S+)/.exec(start.detail)?.[1];
      return signal ? `the ${signal} the lab sent` : 'the signal the lab sent';
    }
    case 'exec':
      return "the lab's command in the container (docker exec)";
    case 'wait-for-output':
      return 'the line of output the lab waited for';
    case 'wait-for-process':
      return 'the process the lab waited for';
    case 'wait-for-restart':
      return "the lab's wait for Docker to restart the container";
    case 'wait-for-exit':
      return "the lab's wait for the container to exit";
    default:
      return "the lab's wait";
  }
}

/** A description written by the lab with the patterns in it (`matching /x/`) put in words. */
export function withoutPatterns(text: string): string {
  return text.replace(/matching \/(.*?)\/(?=[\s,;:)]|$)/g, (_, pattern: string) =>
    sayingOr(pattern, 'of the kind expected'),
  );
}
