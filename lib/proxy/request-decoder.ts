// Decodes a request body into the fields the engine would read, the way the engine reads them: each
// key is matched to a field of the engine's struct by folded name (engine-json.ts). What the engine
// would read differently from the proxy is refused rather than guessed: two keys that name the same
// field, a key that names no field the proxy knows, and a map with the same key twice.
import { foldKey, isJsonObject, JsonSyntaxError, parseEngineJson, type JsonValue } from './engine-json';
import type { Refusal } from './refusal';

/**
 * The shape of a field: a leaf read as plain data (validated afterwards by the model), a map whose
 * values are leaves (keys matched exactly, as Go does for maps), or a nested struct.
 */
export type FieldSpec = 'leaf' | 'map' | StructSpec;

/** An engine struct: its JSON field names as the engine spells them. */
export interface StructSpec {
  /** The name used in messages: `HostConfig`, `the exec request`. */
  name: string;
  fields: Record<string, FieldSpec>;
}

/** A request the proxy will not pass on, with the reason the learner sees. */
export class RequestRefusal extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}

const bad = (message: string): never => {
  throw new RequestRefusal({ status: 400, message });
};

const folded = new WeakMap<StructSpec, Map<string, string>>();

function fieldIndex(spec: StructSpec): Map<string, string> {
  let index = folded.get(spec);
  if (!index) {
    index = new Map(Object.keys(spec.fields).map((name) => [foldKey(name), name]));
    folded.set(spec, index);
  }
  return index;
}

/** A map's entries as a plain object; the same key twice is ambiguous to a reader, so refused. */
function decodeMap(value: JsonValue, where: string): Record<string, unknown> | null {
  if (value === null) return null;
  if (!isJsonObject(value)) return bad(`${where} must be an object`);
  const out: Record<string, unknown> = {};
  for (const [key, item] of value.entries) {
    if (Object.hasOwn(out, key)) bad(`${where} has the key "${key}" twice`);
    out[key] = decodeLeaf(item, `${where}.${key}`);
  }
  return out;
}

/** Plain data; objects inside a leaf follow the map rule. */
function decodeLeaf(value: JsonValue, where: string): unknown {
  if (Array.isArray(value)) return value.map((item, i) => decodeLeaf(item, `${where}[${i}]`));
  if (isJsonObject(value)) return decodeMap(value, where);
  return value;
}

/**
 * The struct's fields under their canonical names; null when the value is null (the engine leaves
 * the field unset). Fields not sent are absent.
 */
export function decodeStruct(value: JsonValue, spec: StructSpec, where = spec.name): Record<string, unknown> | null {
  if (value === null) return null;
  if (!isJsonObject(value)) return bad(`${where} must be an object`);
  const index = fieldIndex(spec);
  const out: Record<string, unknown> = {};
  const spelled = new Map<string, string>();
  for (const [key, item] of value.entries) {
    const name = index.get(foldKey(key));
    if (!name) return bad(`${where} has a field the lab does not know: "${key}"`);
    const earlier = spelled.get(name);
    if (earlier !== undefined) {
      return bad(
        `${where}.${name} is given twice (as "${earlier}" and "${key}"): the engine would read only one of them`,
      );
    }
    spelled.set(name, key);
    const field = spec.fields[name];
    const path = `${where}.${name}`;
    out[name] =
      field === 'leaf'
        ? decodeLeaf(item, path)
        : field === 'map'
          ? decodeMap(item, path)
          : decodeStruct(item, field, path);
  }
  return out;
}

/** Parses a body (bytes as sent) and decodes it; an empty body is an empty object. */
export function decodeBody(body: Buffer, spec: StructSpec): Record<string, unknown> {
  const text = body.toString('utf8');
  if (!text.trim()) return {};
  let value: JsonValue;
  try {
    value = parseEngineJson(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) return bad(`${spec.name} is not valid JSON: ${error.message}`);
    throw error;
  }
  if (!isJsonObject(value)) return bad(`${spec.name} must be a JSON object`);
  return decodeStruct(value, spec) ?? {};
}
