// How Docker 20.10's classic builder reads the words of an instruction, mirrored from the code it runs
// (moby v20.10.24, vendor/github.com/moby/buildkit/frontend/dockerfile/: parser/line_parsers.go,
// parser/split_command.go, shell/lex.go), so that the lab's rules judge the value the engine will use
// rather than the text the learner typed. Nothing here throws.

/** Go's unicode.IsSpace: ASCII \t \n \v \f \r and space, U+0085, U+00A0 and Unicode's White_Space. */
const GO_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const GO_SPACE_CHAR = new RegExp(`^[${GO_SPACE}]$`);
const LEADING_GO_SPACE = new RegExp(`^[${GO_SPACE}]+`);
const TRAILING_GO_SPACE = new RegExp(`[${GO_SPACE}]+$`);

/** Whether one character is a space for Go's unicode.IsSpace (JS's \s differs: it has U+FEFF, lacks U+0085). */
export function isGoSpace(ch: string): boolean {
  return GO_SPACE_CHAR.test(ch);
}

/** strings.TrimLeftFunc(text, unicode.IsSpace). */
export function trimLeftGoSpace(text: string): string {
  return text.replace(LEADING_GO_SPACE, '');
}

/** strings.TrimSpace. */
export function trimGoSpace(text: string): string {
  return trimLeftGoSpace(text).replace(TRAILING_GO_SPACE, '');
}

/**
 * parser.reWhitespace, `[\t\v\f\r ]+`: it separates an instruction's keyword from its arguments and the
 * words of FROM, ADD, COPY and VOLUME (shell form). It is not quote-aware, and a non-breaking space is
 * not one of them.
 */
export const DOCKERFILE_WHITESPACE = /[\t\v\f\r ]+/;

/** parseStringsWhitespaceDelimited, on arguments the parser has already trimmed. */
export function splitWhitespace(args: string): string[] {
  return args === '' ? [] : args.split(DOCKERFILE_WHITESPACE);
}

/**
 * parser.parseWords, which splits LABEL, ENV and ARG: quote-aware, and it keeps the quotes and escapes
 * in the words (the word lexer removes them later). Runs over code points as Go's DecodeRuneInString.
 */
export function parseWords(rest: string): string[] {
  const chars = Array.from(rest);
  const words: string[] = [];
  let phase: 'spaces' | 'word' | 'quote' = 'spaces';
  let word = '';
  let quote = '';
  let blankOK = false;
  for (let pos = 0; pos <= chars.length; pos++) {
    let ch = chars[pos];
    if (phase === 'spaces') {
      if (pos === chars.length) break;
      if (isGoSpace(ch)) continue;
      phase = 'word';
    }
    if (pos === chars.length) {
      if (blankOK || word !== '') words.push(word);
      break;
    }
    if (phase === 'word') {
      if (isGoSpace(ch)) {
        phase = 'spaces';
        if (blankOK || word !== '') words.push(word);
        word = '';
        blankOK = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOK = true;
        phase = 'quote';
      }
      if (ch === '\\') {
        if (pos + 1 === chars.length) continue; // an escape token at the end is skipped
        word += ch;
        ch = chars[++pos];
      }
      word += ch;
      continue;
    }
    if (ch === quote) phase = 'word';
    if (ch === '\\' && quote !== "'") {
      if (pos + 1 === chars.length) {
        phase = 'word';
        continue;
      }
      word += ch;
      ch = chars[++pos];
    }
    word += ch;
  }
  return words;
}

/**
 * The keys a LABEL sets, as parser.parseNameVal splits them: `key=value ...`, or the old `key value`
 * form when the first word has no "=" (then the key ends at the first reWhitespace). Undefined where
 * the engine refuses the line.
 */
export function labelKeys(args: string): string[] | undefined {
  const words = parseWords(args);
  if (words.length === 0) return undefined;
  if (!words[0].includes('=')) {
    const gap = DOCKERFILE_WHITESPACE.exec(args);
    return gap ? [args.slice(0, gap.index)] : undefined;
  }
  if (words.some((word) => !word.includes('='))) return undefined;
  return words.map((word) => word.slice(0, word.indexOf('=')));
}

/** The words of ADD, COPY and VOLUME: a JSON array of strings (exec form) or words split on whitespace. */
export type WordList = { form: 'json' | 'shell'; words: string[] } | { form: 'json-not-strings' };

/**
 * parser.parseMaybeJSONToList. Go's json.Decoder reads the first JSON value and ignores what follows it,
 * so `["http://x", "/y"] junk` is the JSON form to the engine (JSON.parse alone would refuse it). Only a
 * syntax error falls back to whitespace words; an array holding anything but strings is an error.
 */
export function wordList(args: string): WordList {
  const value = args.startsWith('[') ? firstJsonValue(args) : undefined;
  if (value !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = undefined;
    }
    if (Array.isArray(parsed)) {
      if (!parsed.every((item) => typeof item === 'string')) return { form: 'json-not-strings' };
      // Go decodes a lone surrogate escape (\ud800) as U+FFFD; JS keeps it.
      return { form: 'json', words: parsed.map((item: string) => item.replace(LONE_SURROGATE, '\uFFFD')) };
    }
  }
  return { form: 'shell', words: splitWhitespace(args) };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The text of the first JSON value in `text` (brackets matched outside strings), or undefined if it never ends. */
function firstJsonValue(text: string): string | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') {
      inString = true;
    } else if (ch === '[' || ch === '{') {
      depth++;
    } else if (ch === ']' || ch === '}') {
      depth--;
      if (depth === 0) return text.slice(0, i + 1);
    }
  }
  return undefined;
}

/** Why the value of a word cannot be known before the build. */
export type WordProblem = 'variable' | 'backslash' | 'quote';

/**
 * The value the engine's word lexer (shell.Lex.ProcessWord) gives a word whose value the lab must know,
 * or why it cannot be known: a `$` is a variable (ENV, ARG or a build arg), a backslash an escape the
 * lexer removes (`h\ttp` is `http`; refused rather than interpreted), an unmatched quote an engine error.
 * Quotes are removed: '…' keeps everything, "…" too once `$` and `\` are ruled out. text/scanner skips a
 * byte-order mark at the start of the word.
 */
export function wordValue(word: string): { value: string } | { problem: WordProblem } {
  if (word.includes('$')) return { problem: 'variable' };
  if (word.includes('\\')) return { problem: 'backslash' };
  const text = word.startsWith('\uFEFF') ? word.slice(1) : word;
  let value = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'" || ch === '"') {
      const end = text.indexOf(ch, i + 1);
      if (end < 0) return { problem: 'quote' };
      value += text.slice(i + 1, end);
      i = end;
    } else {
      value += ch;
    }
  }
  return { value };
}

/** How a word problem reads in a message: "sources with a variable ($) are not allowed". */
export const WORD_PROBLEM_TEXT: Record<WordProblem, string> = {
  variable: 'a variable ($)',
  backslash: 'a backslash (\\)',
  quote: 'an unmatched quote',
};

/**
 * Go's strings.ToLower, as the engine folds stage names (stagesBuildResults, parseBuildStageName). It
 * maps U+0130 (İ) to a plain "i", where JS's toLowerCase gives "i" and a combining dot.
 */
export function goLower(text: string): string {
  return text.replace(/\u0130/g, 'i').toLowerCase();
}

/** strings.EqualFold(word, "as"): Go's simple case folding also matches the long s (ſ) to "s". */
export function isAsKeyword(word: string): boolean {
  return /^[aA][sS\u017F]$/.test(word);
}
