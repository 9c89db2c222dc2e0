/**
 * Pipeline validation: every problem at once, each with a JSON pointer into
 * the document. Never throws on bad input; only returns errors.
 */
import type { z } from 'zod';
import { toJsonObject } from '../../statemachines/json-value.ts';
import { RESERVED_STATE_NAMES } from '../../statemachines/state-names.ts';
import type { ModuleRegistry } from '../modules/registry.ts';
import { inputArity } from '../modules/types.ts';
import { findCycles, reachableFrom } from './graph.ts';
import { jsonPointer } from './json-pointer.ts';
import { type Pipeline, PipelineSchema } from './schema.ts';

export type ValidationCode =
  | 'schema'
  | 'unknown_module'
  | 'type_mismatch'
  | 'config'
  | 'duplicate_id'
  | 'reserved_id'
  | 'dangling_edge'
  | 'duplicate_edge'
  | 'cycle'
  | 'extractor_with_inputs'
  | 'loader_with_outputs'
  | 'too_many_inputs'
  | 'too_few_inputs'
  | 'dead_end'
  | 'no_extractor'
  | 'unreachable';

export interface ValidationError {
  /** RFC 6901 pointer into the pipeline document; `""` is the whole document. */
  readonly pointer: string;
  readonly code: ValidationCode;
  readonly message: string;
}

export type ValidationResult =
  | { readonly ok: true; readonly pipeline: Pipeline; readonly errors: readonly [] }
  | { readonly ok: false; readonly errors: readonly ValidationError[] };

type Json = Record<string, unknown>;

interface LooseNode {
  readonly index: number;
  readonly id: string;
  readonly type: unknown;
  readonly module: unknown;
  readonly config: unknown;
}

interface LooseEdge {
  readonly index: number;
  readonly source: string;
  readonly target: string;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function schemaErrors(
  issues: readonly z.core.$ZodIssue[],
  base: readonly (string | number)[] = [],
): ValidationError[] {
  return issues.map((issue) => {
    const field = issue.path[issue.path.length - 1];
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') message = `unknown field: ${issue.keys.join(', ')}`;
    // zod says "expected string, received undefined"; a user reads "missing".
    else if (
      issue.code === 'invalid_type' &&
      /received undefined$/.test(issue.message) &&
      field !== undefined
    ) {
      message = `missing required field "${String(field)}" (${issue.expected})`;
    }
    return {
      pointer: jsonPointer([...base, ...issue.path.map((part) => part as string | number)]),
      code: 'schema',
      message,
    };
  });
}

/** Nodes and edges read leniently, so graph checks run even when the schema check fails elsewhere. */
function looseNodes(document: Json): LooseNode[] {
  const nodes = Array.isArray(document.nodes) ? document.nodes : [];
  return nodes.flatMap((node, index) =>
    isObject(node) && typeof node.id === 'string'
      ? [{ index, id: node.id, type: node.type, module: node.module, config: node.config ?? {} }]
      : [],
  );
}

function looseEdges(document: Json): { index: number; source: unknown; target: unknown }[] {
  const edges = Array.isArray(document.edges) ? document.edges : [];
  return edges.flatMap((edge, index) =>
    isObject(edge) ? [{ index, source: edge.source, target: edge.target }] : [],
  );
}

function closestName(name: string, candidates: readonly string[]): string | undefined {
  const distance = (a: string, b: string) => {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let previous = row[0] as number;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const current = row[j] as number;
        row[j] = Math.min(
          current + 1,
          (row[j - 1] as number) + 1,
          previous + (a[i - 1] === b[j - 1] ? 0 : 1),
        );
        previous = current;
      }
    }
    return row[b.length] as number;
  };
  const ranked = candidates
    .map((candidate) => ({ candidate, d: distance(name, candidate) }))
    .sort((x, y) => x.d - y.d);
  const best = ranked[0];
  return best && best.d <= Math.max(2, Math.floor(name.length / 3)) ? best.candidate : undefined;
}

async function nodeErrors(nodes: readonly LooseNode[], registry: ModuleRegistry): Promise<ValidationError[]> {
  const errors: ValidationError[] = [];
  const firstIndexById = new Map<string, number>();
  for (const node of nodes) {
    const at = (...path: (string | number)[]) => jsonPointer(['nodes', node.index, ...path]);
    const first = firstIndexById.get(node.id);
    if (first !== undefined) {
      errors.push({
        pointer: at('id'),
        code: 'duplicate_id',
        message: `duplicate node id "${node.id}" (also /nodes/${first})`,
      });
    } else {
      firstIndexById.set(node.id, node.index);
    }
    if (RESERVED_STATE_NAMES.includes(node.id)) {
      errors.push({
        pointer: at('id'),
        code: 'reserved_id',
        message: `"${node.id}" is reserved for the state machine's own states`,
      });
    }
    if (typeof node.module !== 'string') continue;
    const module = registry.get(node.module);
    if (module === undefined) {
      const names = registry.list().map((known) => known.name);
      const hint = closestName(node.module, names);
      errors.push({
        pointer: at('module'),
        code: 'unknown_module',
        message: `unknown module "${node.module}"${hint ? ` (did you mean "${hint}"?)` : ''}; known modules: ${names.join(', ')}`,
      });
      continue;
    }
    if (typeof node.type === 'string' && node.type !== module.kind) {
      errors.push({
        pointer: at('type'),
        code: 'type_mismatch',
        message: `module "${module.name}" is a ${module.kind}, but the node's type is "${node.type}"`,
      });
    }
    const parsed = module.configSchema.safeParse(node.config);
    if (!parsed.success) {
      errors.push(
        ...schemaErrors(parsed.error.issues, ['nodes', node.index, 'config']).map((error) => ({
          ...error,
          code: 'config' as const,
        })),
      );
      continue;
    }
    // The config travels in the ASL as JSON: refuse here what JSON cannot hold (undefined in a list,
    // NaN), which only in-process callers can send, rather than fail translation (found by fuzzing).
    if (isObject(node.config)) {
      for (const problem of toJsonObject(node.config, 'config').problems) {
        errors.push({ pointer: at('config'), code: 'config', message: problem });
      }
    }
    for (const issue of (await module.checkConfig?.(parsed.data)) ?? []) {
      errors.push({ pointer: at('config', ...issue.path), code: 'config', message: issue.message });
    }
  }
  return errors;
}

function edgeErrors(
  document: Json,
  ids: ReadonlySet<string>,
): { errors: ValidationError[]; edges: LooseEdge[] } {
  const errors: ValidationError[] = [];
  const edges: LooseEdge[] = [];
  const seen = new Map<string, number>();
  for (const edge of looseEdges(document)) {
    let dangling = false;
    for (const end of ['source', 'target'] as const) {
      const value = edge[end];
      if (typeof value === 'string' && !ids.has(value)) {
        dangling = true;
        errors.push({
          pointer: jsonPointer(['edges', edge.index, end]),
          code: 'dangling_edge',
          message: `edge ${end} "${value}" is not a node id`,
        });
      }
    }
    if (dangling || typeof edge.source !== 'string' || typeof edge.target !== 'string') continue;
    const key = `${edge.source}\u0000${edge.target}`;
    const previous = seen.get(key);
    if (previous !== undefined) {
      errors.push({
        pointer: jsonPointer(['edges', edge.index]),
        code: 'duplicate_edge',
        message: `duplicate edge ${edge.source} -> ${edge.target} (also /edges/${previous})`,
      });
      continue;
    }
    seen.set(key, edge.index);
    edges.push({ index: edge.index, source: edge.source, target: edge.target });
  }
  return { errors, edges };
}

function graphErrors(
  nodes: readonly LooseNode[],
  edges: readonly LooseEdge[],
  registry: ModuleRegistry,
): ValidationError[] {
  const errors: ValidationError[] = [];
  const nodeAt = (node: LooseNode) => jsonPointer(['nodes', node.index]);
  const inputs = (id: string) => edges.filter((edge) => edge.target === id).map((edge) => edge.source);
  const outputs = (id: string) => edges.filter((edge) => edge.source === id).map((edge) => edge.target);

  for (const node of nodes) {
    const into = inputs(node.id);
    const out = outputs(node.id);
    if (node.type === 'extractor' && into.length > 0) {
      errors.push({
        pointer: nodeAt(node),
        code: 'extractor_with_inputs',
        message: `extractor "${node.id}" has inputs from ${into.join(', ')}`,
      });
    }
    if (node.type === 'loader' && out.length > 0) {
      errors.push({
        pointer: nodeAt(node),
        code: 'loader_with_outputs',
        message: `loader "${node.id}" has outputs to ${out.join(', ')}`,
      });
    }
    const module = typeof node.module === 'string' ? registry.get(node.module) : undefined;
    // An unknown module is reported apart; judge its inputs as a chunk-local node's.
    const arity = module ? inputArity(module) : { min: 1, max: 1 };
    const takes = arity.min === arity.max ? `exactly ${arity.min}` : `${arity.min} to ${arity.max}`;
    if (node.type !== 'extractor' && into.length > arity.max) {
      errors.push({
        pointer: nodeAt(node),
        code: 'too_many_inputs',
        message: `"${node.id}" has ${into.length} inputs (${into.join(', ')}); its module takes ${takes}`,
      });
    }
    if (node.type !== 'extractor' && into.length > 0 && into.length < arity.min) {
      errors.push({
        pointer: nodeAt(node),
        code: 'too_few_inputs',
        message: `"${node.id}" has ${into.length} input(s) (${into.join(', ')}); its module takes ${takes}`,
      });
    }
    if (node.type === 'transformer' && out.length === 0) {
      errors.push({
        pointer: nodeAt(node),
        code: 'dead_end',
        message: `transformer "${node.id}" has no outgoing edge: its output would be discarded`,
      });
    }
  }

  for (const cycle of findCycles(
    nodes.map((node) => node.id),
    edges,
  )) {
    const closing = edges.find((edge) => edge.source === cycle[cycle.length - 1] && edge.target === cycle[0]);
    errors.push({
      pointer: closing ? jsonPointer(['edges', closing.index]) : '/edges',
      code: 'cycle',
      message: `cycle: ${[...cycle, cycle[0]].join(' -> ')}`,
    });
  }

  const extractors = nodes.filter((node) => node.type === 'extractor').map((node) => node.id);
  if (nodes.length > 0 && extractors.length === 0) {
    errors.push({ pointer: '/nodes', code: 'no_extractor', message: 'the pipeline has no extractor node' });
  }
  const reached = reachableFrom(extractors, edges);
  for (const node of nodes) {
    if (!reached.has(node.id)) {
      errors.push({
        pointer: nodeAt(node),
        code: 'unreachable',
        message: `"${node.id}" is not reachable from any extractor`,
      });
    }
  }
  return errors;
}

/**
 * Sized so a pipeline's ASL stays under Step Functions' 1 MB definition
 * limit (measured: about 5 KB of ASL per barrier node with 64-character ids,
 * and each config byte written about 3 times), and so validation stays fast.
 */
export const PIPELINE_LIMITS = { nodes: 100, edges: 800, bytes: 128 * 1024 } as const;

/** Checked first, alone: the other checks would be slow on a huge document, and its ASL could not deploy. */
function limitErrors(document: Json): ValidationError[] {
  const errors: ValidationError[] = [];
  let bytes = 0;
  try {
    bytes = Buffer.byteLength(JSON.stringify(document) ?? '', 'utf8');
  } catch {
    // Not serializable (a BigInt...): the schema check reports what is wrong with it.
  }
  if (bytes > PIPELINE_LIMITS.bytes) {
    errors.push({
      pointer: '',
      code: 'schema',
      message: `the pipeline is ${bytes} bytes, over the limit of ${PIPELINE_LIMITS.bytes} bytes (128 KB)`,
    });
  }
  for (const field of ['nodes', 'edges'] as const) {
    const list = document[field];
    if (Array.isArray(list) && list.length > PIPELINE_LIMITS[field]) {
      errors.push({
        pointer: `/${field}`,
        code: 'schema',
        message: `the pipeline has ${list.length} ${field}, over the limit of ${PIPELINE_LIMITS[field]}`,
      });
    }
  }
  return errors;
}

export async function validatePipeline(
  document: unknown,
  registry: ModuleRegistry,
): Promise<ValidationResult> {
  if (!isObject(document)) {
    return {
      ok: false,
      errors: [{ pointer: '', code: 'schema', message: 'a pipeline must be a JSON object' }],
    };
  }
  const limits = limitErrors(document);
  if (limits.length > 0) return { ok: false, errors: limits };
  const parsed = PipelineSchema.safeParse(document);
  const errors: ValidationError[] = parsed.success ? [] : schemaErrors(parsed.error.issues);
  const nodes = looseNodes(document);
  errors.push(...(await nodeErrors(nodes, registry)));
  const edges = edgeErrors(document, new Set(nodes.map((node) => node.id)));
  errors.push(...edges.errors, ...graphErrors(nodes, edges.edges, registry));

  if (parsed.success && errors.length === 0) return { ok: true, pipeline: parsed.data, errors: [] };
  return { ok: false, errors };
}
