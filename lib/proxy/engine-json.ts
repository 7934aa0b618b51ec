// JSON as the Docker engine reads it. The engine's decoder (Go's encoding/json) matches an object's
// keys to struct fields without regard to case, with Unicode folding (`ſ` is an `s`, the Kelvin sign
// a `k`), and when two keys name the same field the later one wins. JSON.parse keeps only the last
// of two identical keys and says nothing of keys that differ in case, so the proxy parses bodies
// itself: every object keeps all its keys, in order, and the decoder refuses what is ambiguous.

/** A JSON value; objects keep every key as sent, duplicates included. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;

/** A JSON object as a list of its entries, in the order they were sent. */
export interface JsonObject {
  entries: [string, JsonValue][];
}

export function isJsonObject(value: JsonValue): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A body that is not JSON. */
export class JsonSyntaxError extends Error {}

/** Deepest nesting accepted: the engine's bodies are a few levels deep. */
const MAX_DEPTH = 32;

/**
 * Parses one JSON document (RFC 8259, nothing after it but whitespace). Strings are read as
 * JSON.parse reads them; invalid UTF-8 in the bytes became U+FFFD when the body was decoded, as in Go.
 */
export function parseEngineJson(text: string): JsonValue {
  let at = 0;
  const fail = (what: string): never => {
    throw new JsonSyntaxError(`${what} at character ${at}`);
  };
  const skip = () => {
    while (at < text.length && (text[at] === ' ' || text[at] === '\t' || text[at] === '\n' || text[at] === '\r')) at++;
  };
  const literal = (word: string, value: JsonValue): JsonValue => {
    if (text.startsWith(word, at)) {
      at += word.length;
      return value;
    }
    return fail('unexpected token');
  };
  const string = (): string => {
    // Find the closing quote, then let JSON.parse decode the escapes of exactly that string.
    const start = at;
    at++;
    while (at < text.length) {
      const char = text[at];
      if (char === '"') {
        at++;
        try {
          return JSON.parse(text.slice(start, at)) as string;
        } catch {
          return fail('invalid string');
        }
      }
      if (char === '\\') at += 2;
      else if (char < ' ') return fail('control character in a string');
      else at++;
    }
    return fail('unterminated string');
  };
  const number = (): number => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(at, at + 400));
    if (!match) return fail('invalid number');
    at += match[0].length;
    return Number(match[0]);
  };
  const value = (depth: number): JsonValue => {
    if (depth > MAX_DEPTH) fail('nesting too deep');
    skip();
    const char = text[at];
    if (char === '{') {
      at++;
      const entries: [string, JsonValue][] = [];
      skip();
      if (text[at] === '}') {
        at++;
        return { entries };
      }
      for (;;) {
        skip();
        if (text[at] !== '"') fail('expected a key');
        const key = string();
        skip();
        if (text[at] !== ':') fail('expected ":"');
        at++;
        entries.push([key, value(depth + 1)]);
        skip();
        if (text[at] === ',') {
          at++;
          continue;
        }
        if (text[at] === '}') {
          at++;
          return { entries };
        }
        fail('expected "," or "}"');
      }
    }
    if (char === '[') {
      at++;
      const items: JsonValue[] = [];
      skip();
      if (text[at] === ']') {
        at++;
        return items;
      }
      for (;;) {
        items.push(value(depth + 1));
        skip();
        if (text[at] === ',') {
          at++;
          continue;
        }
        if (text[at] === ']') {
          at++;
          return items;
        }
        fail('expected "," or "]"');
      }
    }
    if (char === '"') return string();
    if (char === 't') return literal('true', true);
    if (char === 'f') return literal('false', false);
    if (char === 'n') return literal('null', null);
    if (char === '-' || (char >= '0' && char <= '9')) return number();
    return fail(at >= text.length ? 'unexpected end' : 'unexpected token');
  };
  const result = value(0);
  skip();
  if (at < text.length) fail('unexpected data after the document');
  return result;
}

/**
 * The key as the engine's decoder compares it with a field name: ASCII letters without case, and the
 * two non-ASCII letters whose simple case folding reaches ASCII, U+017F (long s) and U+212A (Kelvin
 * sign). Every other character stays itself, so it can only match a field spelled with it (none is).
 */
export function foldKey(key: string): string {
  let out = '';
  for (const char of key) {
    if (char === '\u017f') out += 'S';
    else if (char === '\u212a') out += 'K';
    else if (char >= 'a' && char <= 'z') out += char.toUpperCase();
    else out += char;
  }
  return out;
}

/** The value as plain data (objects with their keys as sent; a later identical key is refused by the caller). */
export function toPlain(value: JsonValue): unknown {
  if (Array.isArray(value)) return value.map(toPlain);
  if (isJsonObject(value)) return Object.fromEntries(value.entries.map(([key, item]) => [key, toPlain(item)]));
  return value;
}
