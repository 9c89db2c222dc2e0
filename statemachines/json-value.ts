/**
 * Turns a node's config (typed `unknown` by the spec) into a checked JSON value
 * for the ASL, reporting what cannot go there instead of letting
 * JSON.stringify drop or mangle it.
 */
import type { JsonObject, JsonValue } from './asl-types.ts';

export interface JsonConversion {
  readonly value: JsonObject;
  readonly problems: readonly string[];
}

function convert(value: unknown, path: string, problems: string[]): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') {
    return value;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      problems.push(`${path} is ${value}, which JSON cannot represent`);
    }
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((item, index) => convert(item, `${path}[${index}]`, problems));
  }
  if (typeof value === 'object') {
    return convertObject(value as Record<string, unknown>, path, problems);
  }
  problems.push(`${path} is a ${typeof value}, which is not JSON`);
  return null;
}

function convertObject(value: Record<string, unknown>, path: string, problems: string[]): JsonObject {
  const result: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined) {
      result[key] = convert(item, `${path}.${key}`, problems);
    }
  }
  return result;
}

/** `path` names the value in problems, e.g. `node filter config`. */
export function toJsonObject(value: Readonly<Record<string, unknown>>, path: string): JsonConversion {
  const problems: string[] = [];
  return { value: convertObject(value, path, problems), problems };
}
