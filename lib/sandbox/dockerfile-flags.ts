// The `--name=value` flags at the start of an instruction's arguments, read as the engine reads them:
// parser.extractBuilderFlags (moby v20.10.24, vendor/github.com/moby/buildkit/frontend/dockerfile/
// parser/split_command.go) and instructions.BFlags.Parse (instructions/bflag.go).
import { trimGoSpace } from './dockerfile-words';

/** One flag before an instruction's arguments. */
export interface BuilderFlag {
  /** The name after `--`, case-sensitive as the engine compares it. */
  name: string;
  /** What follows the first "=", quotes and escapes removed; undefined when there is no "=". */
  value: string | undefined;
  /** The flag was written without quotes or backslashes: its text is its value. */
  plain: boolean;
  /** The flag as written, for messages. */
  text: string;
}

/** An instruction's arguments once its flags are taken out. */
export interface FlaggedArgs {
  flags: BuilderFlag[];
  /** The arguments after the flags, trimmed as parser.splitCommand trims them. */
  args: string;
  /** A flag holds a non-ASCII character (see below); its value cannot be trusted. */
  nonAscii: boolean;
}

/** The bytes Go's unicode.IsSpace takes for spaces when extractBuilderFlags reads a byte as a rune. */
const ASCII_SPACE = /^[\t\n\v\f\r ]$/;

/**
 * Takes the flags off `rest` (the text after the keyword, untrimmed) the way extractBuilderFlags does:
 * words starting with `--` until the first other word; in them quotes group and a backslash escapes the
 * next character, both removed; a lone `--` ends the flags. The engine reads this part byte by byte, so a
 * multi-byte character inside a flag turns into other characters (and its bytes 0x85 or 0xA0 into
 * spaces): such a flag is reported as nonAscii rather than guessed at.
 */
export function extractBuilderFlags(rest: string): FlaggedArgs {
  const words: { word: string; plain: boolean; text: string }[] = [];
  let phase: 'spaces' | 'word' | 'quote' = 'spaces';
  let word = '';
  let start = 0;
  let plain = true;
  let quote = '';
  let blankOK = false;
  const done = (remainder: string, nonAscii = false): FlaggedArgs => ({
    flags: words.map((found) => toFlag(found.word, found.plain, found.text)),
    args: trimGoSpace(remainder),
    nonAscii,
  });
  for (let pos = 0; pos <= rest.length; pos++) {
    let ch = rest[pos] ?? '';
    if (phase === 'spaces') {
      if (pos === rest.length) break;
      if (ASCII_SPACE.test(ch)) continue;
      if (ch !== '-' || rest[pos + 1] !== '-') return done(rest.slice(pos));
      phase = 'word';
      start = pos;
    }
    if (pos === rest.length) {
      if (word !== '--' && (blankOK || word !== '')) words.push({ word, plain, text: rest.slice(start) });
      break;
    }
    if (ch.charCodeAt(0) >= 0x80) return done('', true);
    if (phase === 'word') {
      if (ASCII_SPACE.test(ch)) {
        phase = 'spaces';
        if (word === '--') return done(rest.slice(pos));
        if (blankOK || word !== '') words.push({ word, plain, text: rest.slice(start, pos) });
        word = '';
        plain = true;
        blankOK = false;
        continue;
      }
      if (ch === '"' || ch === "'") {
        quote = ch;
        blankOK = true;
        plain = false;
        phase = 'quote';
        continue;
      }
    } else if (ch === quote) {
      phase = 'word';
      continue;
    }
    if (ch === '\\') {
      plain = false;
      if (pos + 1 === rest.length) {
        phase = 'word'; // a backslash at the end is dropped (in quotes it also ends them)
        continue;
      }
      ch = rest[++pos];
      if (ch.charCodeAt(0) >= 0x80) return done('', true);
    }
    word += ch;
  }
  return done('');
}

/** BFlags.Parse: the name is what follows `--` up to the first "="; without "=" there is no value. */
function toFlag(word: string, plain: boolean, text: string): BuilderFlag {
  const body = word.slice(2);
  const equals = body.indexOf('=');
  const [name, value] = equals < 0 ? [body, undefined] : [body.slice(0, equals), body.slice(equals + 1)];
  return { name, value, plain, text };
}
