// The small pieces every part of the exercise format is built from: ids, regular expressions, the way a
// process is named, and the signals a step may send.
import { z } from 'zod';

/** A regular expression's source, refused when it does not compile. */
export const RegexSchema = z.string().min(1).refine(
  (source) => {
    try {
      new RegExp(source);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a valid regular expression' },
);

/** The id of a scenario, a step, a check or a mistake. */
export const IdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lower-case letters, digits and dashes');

/**
 * A process, named as a person names it: a program and, for an interpreter, its script
 * (`{ program: node, script: server.js }` matches `/usr/bin/node --enable-source-maps /app/server.js`),
 * or a regular expression over the command line for what is not a program of the exercise.
 */
export const ProgramSpecSchema = z.object({ program: z.string().min(1), script: z.string().min(1).optional() }).strict();

/** A process, as a program (and script) or a regular expression over its command line. */
export const ProcessMatcherSchema = z.union([RegexSchema, ProgramSpecSchema]);

/** The signals a step may send. */
export const SignalSchema = z.enum(['SIGTERM', 'SIGKILL', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2']);
