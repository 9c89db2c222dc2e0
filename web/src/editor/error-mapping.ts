/**
 * Maps the API's validation errors (JSON pointers into the pipeline document)
 * onto what the canvas shows: `/nodes/<i>/...` to node i's id (and, under
 * `config`, to the form field at fault), `/edges/<j>` to edge j, the rest to
 * the pipeline.
 */
import type { PipelineDoc, ValidationIssue } from '../api/types.ts';
import type { FormError } from '../forms/form-error.ts';

export interface NodeErrors {
  /** Every message about the node, for its badge and summary. */
  readonly messages: string[];
  /** Config errors with pointers relative to the node's `config`, for the schema form. */
  readonly config: FormError[];
  /** Errors on the node's own fields (`id`, `module`, `type`...), by field name. */
  readonly fields: Map<string, string[]>;
}

export interface MappedErrors {
  readonly nodes: Map<string, NodeErrors>;
  readonly edges: Map<string, string[]>;
  /** Errors about the pipeline itself (name, schedule, triggers...) or an index that no longer exists. */
  readonly pipeline: ValidationIssue[];
}

export function edgeId(edge: { readonly source: string; readonly target: string }): string {
  return `${edge.source}->${edge.target}`;
}

export function parsePointer(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .replace(/^\//, '')
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function toPointer(parts: readonly string[]): string {
  return parts.map((part) => `/${part.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/** Index `i` of a `/nodes/<i>` segment, or undefined if the text isn't a plain array index. */
function arrayIndex(segment: string | undefined): number | undefined {
  return segment !== undefined && /^(0|[1-9]\d*)$/.test(segment) ? Number(segment) : undefined;
}

function nodeErrorsFor(map: Map<string, NodeErrors>, id: string): NodeErrors {
  let entry = map.get(id);
  if (!entry) {
    entry = { messages: [], config: [], fields: new Map() };
    map.set(id, entry);
  }
  return entry;
}

/**
 * `document` must be the exact document that was validated: indices in the
 * pointers refer to its arrays. Pointers from a PUT body (`/pipeline/...`) are accepted too.
 */
export function mapValidationErrors(document: PipelineDoc, issues: readonly ValidationIssue[]): MappedErrors {
  const mapped: MappedErrors = { nodes: new Map(), edges: new Map(), pipeline: [] };
  for (const issue of issues) {
    let parts = parsePointer(issue.pointer);
    if (parts[0] === 'pipeline') parts = parts.slice(1);
    const [collection, indexText, field, ...rest] = parts;
    const index = arrayIndex(indexText);
    const node = collection === 'nodes' && index !== undefined ? document.nodes[index] : undefined;
    const edge = collection === 'edges' && index !== undefined ? document.edges[index] : undefined;
    if (node) {
      const entry = nodeErrorsFor(mapped.nodes, node.id);
      entry.messages.push(field ? `${toPointer([field, ...rest])}: ${issue.message}` : issue.message);
      if (field === 'config') entry.config.push({ pointer: toPointer(rest), message: issue.message });
      else if (field) entry.fields.set(field, [...(entry.fields.get(field) ?? []), issue.message]);
    } else if (edge) {
      const id = edgeId(edge);
      mapped.edges.set(id, [...(mapped.edges.get(id) ?? []), issue.message]);
    } else {
      mapped.pipeline.push({ ...issue, pointer: toPointer(parts) });
    }
  }
  return mapped;
}

export function emptyErrors(): MappedErrors {
  return { nodes: new Map(), edges: new Map(), pipeline: [] };
}
