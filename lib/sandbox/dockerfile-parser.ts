// Splits a Dockerfile into instructions the way Docker 20.10's classic builder does (moby v20.10.24,
// vendor/github.com/moby/buildkit/frontend/dockerfile/parser/parser.go Parse and split_command.go), so
// that each rule sees the instruction the engine will run. Never throws, whatever the text.
import { DOCKERFILE_WHITESPACE, trimGoSpace, trimLeftGoSpace } from './dockerfile-words';

/** One instruction of a Dockerfile, with the line it starts on (1-based). */
export interface Instruction {
  line: number;
  keyword: string;
  args: string;
}

/** An instruction with the text after its keyword exactly as the engine takes its flags from it. */
export interface SourceInstruction extends Instruction {
  /** Untrimmed: a leading non-breaking space keeps the engine from reading `--x` after it as a flag. */
  rest: string;
}

/** A parser directive line (`# escape=`, `# syntax=`, ...) at the top of the file. */
export interface Directive {
  line: number;
  name: string;
}

/** A Dockerfile as the engine's parser reads it. */
export interface ReadDockerfile {
  instructions: SourceInstruction[];
  directives: Directive[];
  /** The last instruction ends in a line continuation (a backslash) with nothing after it. */
  unterminated: boolean;
}

/**
 * Directive names refused at the top of a file: the engine's (escape, syntax; parser.validDirectives)
 * and BuildKit's later `check`. The engine reads directives only while each line before matched one;
 * reading more lines as directives than it does only refuses more, never less.
 */
const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=/;
const DIRECTIVE_NAMES = new Set(['syntax', 'escape', 'check']);

/**
 * The escape token last on a line, after anything but another backslash, spaces and tabs after it
 * allowed (directives.setEscapeToken's lineContinuationRegex). A `\r` after it is not a space here.
 */
const CONTINUATION = /([^\\])\\[ \t]*$|^\\[ \t]*$/u;

/** bufio.ScanLines: "\n" ends a line and drops one "\r" before it (or at the end of the text); a "\r" elsewhere stays. */
function scanLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

function trimContinuation(line: string): { text: string; continues: boolean } {
  if (!CONTINUATION.test(line)) return { text: line, continues: false };
  return { text: line.replace(CONTINUATION, '$1'), continues: true };
}

/**
 * parser.Parse: a UTF-8 byte-order mark is dropped from the first line; an instruction's first line is
 * trimmed on the left; comment lines (`#` after optional spaces) are skipped, also inside a continuation,
 * as are blank lines inside one; continued lines are joined as they are, with no space added and their
 * own leading spaces kept (`ADD http:\` + `//host/` is `ADD http://host/`).
 */
export function readDockerfile(text: string): ReadDockerfile {
  const lines = scanLines(text.startsWith('\uFEFF') ? text.slice(1) : text);
  const instructions: SourceInstruction[] = [];
  const directives: Directive[] = [];
  let inDirectives = true;
  let unterminated = false;
  let index = 0;
  while (index < lines.length) {
    const line = index + 1;
    const first = trimLeftGoSpace(lines[index++]);
    if (inDirectives) {
      const directive = DIRECTIVE.exec(first);
      if (directive && DIRECTIVE_NAMES.has(directive[1].toLowerCase())) {
        directives.push({ line, name: directive[1].toLowerCase() });
        continue;
      }
      inDirectives = false;
    }
    if (first.startsWith('#')) continue;
    let { text: joined, continues } = trimContinuation(first);
    if (!continues && joined === '') continue;
    while (continues && index < lines.length) {
      const next = lines[index++];
      const trimmed = trimLeftGoSpace(next);
      if (trimmed.startsWith('#') || trimmed === '') continue;
      const part = trimContinuation(next);
      joined += part.text;
      continues = part.continues;
    }
    unterminated = continues;
    instructions.push({ line, ...splitCommand(joined) });
  }
  return { instructions, directives, unterminated };
}

/**
 * Splits a Dockerfile into instructions, joining continuation lines as Docker does (comment and blank
 * lines inside a continuation are skipped, not ends); parser directives are returned apart.
 */
export function parseDockerfile(text: string): {
  instructions: Instruction[];
  directives: Directive[];
  unterminated: boolean;
} {
  const { instructions, directives, unterminated } = readDockerfile(text);
  return {
    instructions: instructions.map(({ line, keyword, args }) => ({ line, keyword, args })),
    directives,
    unterminated,
  };
}

/**
 * parser.splitCommand: the line is trimmed, the keyword ends at the first reWhitespace. The engine
 * lower-cases it with Go's ToLower, which also turns U+0130 and the Kelvin sign into ASCII letters (and
 * JS's toUpperCase turns "ſ" into "S"); a keyword that is not plain ASCII is kept as written, so that
 * the rules know no such instruction and refuse it.
 */
export function splitCommand(line: string): { keyword: string; rest: string; args: string } {
  const trimmed = trimGoSpace(line);
  const gap = DOCKERFILE_WHITESPACE.exec(trimmed);
  const word = gap ? trimmed.slice(0, gap.index) : trimmed;
  const rest = gap ? trimmed.slice(gap.index + gap[0].length) : '';
  return { keyword: /^[\x00-\x7f]*$/.test(word) ? word.toUpperCase() : word, rest, args: trimGoSpace(rest) };
}
