/**
 * A structural diff of two pipeline versions. Arrays of nodes (objects with an
 * `id`) and edges are matched by identity, not position, so moving a node in
 * the list doesn't show as a change of every node after it.
 */
export interface DiffEntry {
  readonly path: string;
  readonly kind: 'added' | 'removed' | 'changed';
  readonly before?: unknown;
  readonly after?: unknown;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function identity(item: unknown): string | undefined {
  if (!isObject(item)) return undefined;
  if (typeof item.id === 'string') return `id=${item.id}`;
  if (typeof item.source === 'string' && typeof item.target === 'string')
    return `${item.source}->${item.target}`;
  return undefined;
}

function keyed(items: readonly unknown[]): Map<string, unknown> | undefined {
  const map = new Map<string, unknown>();
  for (const item of items) {
    const key = identity(item);
    if (key === undefined || map.has(key)) return undefined;
    map.set(key, item);
  }
  return map;
}

function diffKeyed(before: Map<string, unknown>, after: Map<string, unknown>, path: string): DiffEntry[] {
  const entries: DiffEntry[] = [];
  for (const [key, value] of before) {
    if (!after.has(key)) entries.push({ path: `${path}[${key}]`, kind: 'removed', before: value });
    else entries.push(...diffJson(value, after.get(key), `${path}[${key}]`));
  }
  for (const [key, value] of after) {
    if (!before.has(key)) entries.push({ path: `${path}[${key}]`, kind: 'added', after: value });
  }
  return entries;
}

export function diffJson(before: unknown, after: unknown, path = ''): DiffEntry[] {
  if (Array.isArray(before) && Array.isArray(after)) {
    const beforeKeyed = keyed(before);
    const afterKeyed = keyed(after);
    if (beforeKeyed && afterKeyed) return diffKeyed(beforeKeyed, afterKeyed, path);
    const entries: DiffEntry[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i += 1) {
      if (i >= after.length) entries.push({ path: `${path}/${i}`, kind: 'removed', before: before[i] });
      else if (i >= before.length) entries.push({ path: `${path}/${i}`, kind: 'added', after: after[i] });
      else entries.push(...diffJson(before[i], after[i], `${path}/${i}`));
    }
    return entries;
  }
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => {
      const child = `${path}/${key}`;
      if (!(key in after)) return [{ path: child, kind: 'removed' as const, before: before[key] }];
      if (!(key in before)) return [{ path: child, kind: 'added' as const, after: after[key] }];
      return diffJson(before[key], after[key], child);
    });
  }
  return JSON.stringify(before) === JSON.stringify(after)
    ? []
    : [{ path: path || '/', kind: 'changed', before, after }];
}
