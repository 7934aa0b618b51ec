// The learner's answer to a diagnosis exercise, in answer.json:
//   { "pid1": "node server.js", "exitCode": 78, "cause": "config-error" }
// Reading it is lenient where a reader would be (an exit code written as "78", a cause with spaces or
// capitals); anything it cannot read is reported, never thrown.
import type { IncidentTruth } from '../incidents/incident-truth';

/** The file a diagnosis is answered in. */
export const ANSWER_FILE = 'answer.json';

/** The fields of answer.json, in the order the instructions list them. */
export const ANSWER_FIELDS = ['pid1', 'exitCode', 'cause'] as const;

/** One field as read: its value when readable, else why not; `missing` when the learner left it empty. */
export type AnswerField<T> = { value: T } | { missing: true } | { problem: string };

/** The answer as read from answer.json. */
export interface DiagnosisAnswer {
  pid1: AnswerField<string>;
  exitCode: AnswerField<number>;
  cause: AnswerField<string>;
}

/** answer.json read, or why it could not be. */
export type ReadAnswer =
  { ok: true; answer: DiagnosisAnswer; unknownFields: string[] } | { ok: false; problem: string };

function text(value: unknown, field: string): AnswerField<string> {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === ''))
    return { missing: true };
  if (typeof value !== 'string')
    return { problem: `${field} must be a string, such as "${field === 'pid1' ? 'python3 app.py' : 'some-cause'}"` };
  return { value: value.trim() };
}

function code(value: unknown): AnswerField<number> {
  if (value === undefined || value === null || value === '') return { missing: true };
  const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 0 || number > 255) {
    return { problem: `exitCode must be a whole number from 0 to 255, not ${JSON.stringify(value)}` };
  }
  return { value: number };
}

/** Reads the text of answer.json. */
export function readAnswer(content: string): ReadAnswer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch (error) {
    return {
      ok: false,
      problem: `answer.json is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, problem: 'answer.json must hold one object: { "pid1": ..., "exitCode": ..., "cause": ... }' };
  }
  const fields = parsed as Record<string, unknown>;
  const cause = text(fields.cause, 'cause');
  return {
    ok: true,
    answer: {
      pid1: text(fields.pid1, 'pid1'),
      exitCode: code(fields.exitCode),
      // Causes are ids: "OOM killed" and "oom_killed" mean oom-killed.
      cause: 'value' in cause ? { value: cause.value.toLowerCase().replace(/[\s_]+/g, '-') } : cause,
    },
    unknownFields: Object.keys(fields).filter((key) => !(ANSWER_FIELDS as readonly string[]).includes(key)),
  };
}

/** The right answer to an incident, as answer.json. */
export function answerFor(truth: IncidentTruth): string {
  return `${JSON.stringify({ pid1: truth.pid1Command, exitCode: truth.exitCode, cause: truth.cause }, null, 2)}\n`;
}
