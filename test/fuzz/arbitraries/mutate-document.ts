/**
 * Mutations of a JSON-like document at any depth: replace, delete, duplicate
 * or add a value, or swap a node's config. `at` picks the target among all
 * values of the document, wrapping around, so shrinking stays meaningful.
 */

type Json = Record<string, unknown>;

export type Mutation =
  | { readonly op: 'replace'; readonly at: number; readonly value: unknown }
  | { readonly op: 'delete' | 'duplicate'; readonly at: number }
  | { readonly op: 'addKey'; readonly at: number; readonly key: string; readonly value: unknown }
  | { readonly op: 'swapConfig'; readonly at: number };

type Container = Json | unknown[];
interface Place {
  readonly parent: Container;
  readonly key: string | number;
}

/** Plain arrays and objects only: boxed values and class instances (from fc.anything) have read-only parts. */
function isContainer(value: unknown): value is Container {
  if (Array.isArray(value)) return true;
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Every (parent, key) of the document, depth first, so a mutation can reach any value. */
function places(document: Json): Place[] {
  const found: Place[] = [];
  const visit = (container: Container) => {
    const keys: (string | number)[] = Array.isArray(container)
      ? container.map((_, i) => i)
      : Object.keys(container);
    for (const key of keys) {
      found.push({ parent: container, key });
      const child: unknown = Array.isArray(container) ? container[key as number] : container[key as string];
      if (isContainer(child)) visit(child);
    }
  };
  visit(document);
  return found;
}

function setAt(place: Place, value: unknown): void {
  if (Array.isArray(place.parent)) place.parent[place.key as number] = value;
  else place.parent[place.key as string] = value;
}

function getAt(place: Place): unknown {
  return Array.isArray(place.parent) ? place.parent[place.key as number] : place.parent[place.key as string];
}

/** Applies one mutation in place; `at` picks the target among all values, wrapping around. */
export function applyMutation(document: Json, mutation: Mutation, otherConfig: unknown): void {
  const all = places(document);
  const place = all[mutation.at % Math.max(all.length, 1)];
  if (place === undefined) return;
  switch (mutation.op) {
    case 'replace':
      setAt(place, structuredCloneSafe(mutation.value));
      return;
    case 'delete':
      if (Array.isArray(place.parent)) place.parent.splice(place.key as number, 1);
      else delete place.parent[place.key as string];
      return;
    case 'duplicate':
      if (Array.isArray(place.parent)) place.parent.push(structuredCloneSafe(getAt(place)));
      return;
    case 'addKey': {
      const target = getAt(place);
      const object = isContainer(target) && !Array.isArray(target) ? target : place.parent;
      if (!Array.isArray(object)) object[mutation.key] = structuredCloneSafe(mutation.value);
      return;
    }
    case 'swapConfig': {
      // Another module's valid config under this node: right shape, wrong module.
      const nodes = Array.isArray(document.nodes) ? document.nodes : [];
      const node: unknown = nodes[mutation.at % Math.max(nodes.length, 1)];
      if (isContainer(node) && !Array.isArray(node)) node.config = structuredCloneSafe(otherConfig);
      return;
    }
  }
}

/** `structuredClone` refuses some values fc.anything makes (boxed symbols...); those are used as they are. */
function structuredCloneSafe<T>(value: T): T {
  try {
    return structuredClone(value);
  } catch {
    return value;
  }
}
