/**
 * A small JSONPath reader for the paths connectors need: `$`, dotted keys and
 * array indexes (`$.data.items`, `$.pages[0].next`, `$['odd key']`). Not the
 * whole JSONPath language: no wildcards, filters or recursive descent.
 */
import { ConfigError } from '../../../shared/errors.ts';

export type PathSegment = string | number;

const SEGMENT = /^(?:\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\])/;

/** Parses `$`, `$.a.b`, `$.a[0]`, `$['a b']`; a leading `$` is optional (`data.items`). */
export function parseJsonPath(path: string): PathSegment[] {
  let rest = path.trim();
  if (rest.startsWith('$')) rest = rest.slice(1);
  else if (rest !== '' && !rest.startsWith('.') && !rest.startsWith('[')) rest = `.${rest}`;
  const segments: PathSegment[] = [];
  while (rest !== '') {
    const match = SEGMENT.exec(rest);
    if (match === null) {
      throw new ConfigError(`JSONPath "${path}" is not supported: use $, .key, [index] or ['key'] segments`);
    }
    const [whole, key, index, single, double] = match;
    if (key !== undefined) segments.push(key);
    else if (index !== undefined) segments.push(Number(index));
    else segments.push((single ?? double ?? '').replace(/\\(.)/g, '$1'));
    rest = rest.slice(whole.length);
  }
  return segments;
}

/** The value at `path`, or undefined when any step is missing. */
export function readJsonPath(value: unknown, path: string | readonly PathSegment[]): unknown {
  const segments = typeof path === 'string' ? parseJsonPath(path) : path;
  let current: unknown = value;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    if (typeof segment === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[segment];
    } else {
      if (Array.isArray(current) || !Object.hasOwn(current, segment)) return undefined;
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return current;
}

/** Zod refinement message for config fields holding a path. */
export function isSupportedJsonPath(path: string): boolean {
  try {
    parseJsonPath(path);
    return true;
  } catch {
    return false;
  }
}

/** The records at `path`: an array as is, one object as one record, nothing when absent or null. */
export function readRecords(body: unknown, path: string): readonly unknown[] {
  const value = readJsonPath(body, path);
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  if (typeof value === 'object') return [value];
  throw new ConfigError(`records_path ${path} points at a ${typeof value}, not an array of records`);
}
