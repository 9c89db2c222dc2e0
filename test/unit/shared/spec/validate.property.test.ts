import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { registry } from '../../../../shared/modules/registry.ts';
import { PipelineSchema } from '../../../../shared/spec/schema.ts';
import {
  type ValidationCode,
  type ValidationResult,
  validatePipeline,
} from '../../../../shared/spec/validate.ts';

/** Listed through a record so the compiler flags a code added to the union but missing here. */
const CODES: Record<ValidationCode, true> = {
  schema: true,
  unknown_module: true,
  type_mismatch: true,
  config: true,
  duplicate_id: true,
  reserved_id: true,
  dangling_edge: true,
  duplicate_edge: true,
  cycle: true,
  extractor_with_inputs: true,
  loader_with_outputs: true,
  too_many_inputs: true,
  too_few_inputs: true,
  dead_end: true,
  no_extractor: true,
  unreachable: true,
};
const KNOWN_CODES = new Set<string>(Object.keys(CODES));

const MODULE_NAMES = registry.list().map((module) => module.name);

/** A valid pipeline with a fork, every module kind and SQL in two places. */
function validDocument(): Record<string, unknown> {
  return {
    name: 'mutation base',
    parameters: { min_cost: { type: 'number', default: 1 } },
    nodes: [
      {
        id: 'strikes',
        type: 'extractor',
        module: 's3-csv',
        config: { bucket: 'raw-data', columns: { 'Flight Date': 'DATE' } },
      },
      { id: 'costly', type: 'transformer', module: 'filter', config: { expression: 'cost >= 1' } },
      {
        id: 'enrich',
        type: 'transformer',
        module: 'derive',
        config: { columns: [{ name: 'year', expression: 'year("Flight Date")' }] },
      },
      { id: 'lake', type: 'loader', module: 's3-parquet', config: { bucket: 'curated-data' } },
      { id: 'archive', type: 'loader', module: 's3-parquet', config: { bucket: 'archive-data' } },
    ],
    edges: [
      { source: 'strikes', target: 'costly' },
      { source: 'costly', target: 'enrich' },
      { source: 'enrich', target: 'lake' },
      { source: 'enrich', target: 'archive' },
    ],
    execution: { max_concurrency: 4 },
  };
}

const NODE_IDS = ['strikes', 'costly', 'enrich', 'lake', 'archive', 'Init', 'ghost'];

const sqlText = fc.oneof(
  fc.constantFrom(
    'a > 1',
    'a >',
    '1; DROP TABLE x',
    '(SELECT 1)',
    '*',
    'a AS b',
    "'unterminated",
    '-- c',
    '',
  ),
  fc.string({ maxLength: 20 }),
);
const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 3 }), sqlText);
const nodeRef = fc.oneof(
  { arbitrary: fc.constantFrom(...NODE_IDS), weight: 4 },
  fc.string({ maxLength: 8 }),
  anyValue,
);

type Mutation =
  | { readonly kind: 'deleteNode' | 'duplicateNode' | 'deleteEdge'; readonly at: number }
  | { readonly kind: 'addEdge'; readonly source: unknown; readonly target: unknown }
  | { readonly kind: 'rewire'; readonly at: number; readonly end: 'source' | 'target'; readonly to: unknown }
  | { readonly kind: 'setNodeField'; readonly at: number; readonly field: string; readonly value: unknown }
  | { readonly kind: 'setConfigField'; readonly at: number; readonly field: string; readonly value: unknown }
  | { readonly kind: 'renameModule'; readonly at: number; readonly module: string }
  | { readonly kind: 'setTopField'; readonly field: string; readonly value: unknown };

const index = fc.nat({ max: 9 });

/** Changes that keep the pipeline valid, so the ok branch is exercised too. */
const harmless: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('setNodeField'),
    at: index,
    field: fc.constant('description'),
    value: fc.string(),
  }),
  fc.record({ kind: fc.constant('setTopField'), field: fc.constant('description'), value: fc.string() }),
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: harmless, weight: 4 },
  fc.record({ kind: fc.constantFrom('deleteNode', 'duplicateNode', 'deleteEdge'), at: index }),
  fc.record({ kind: fc.constant('addEdge'), source: nodeRef, target: nodeRef }),
  fc.record({
    kind: fc.constant('rewire'),
    at: index,
    end: fc.constantFrom('source', 'target'),
    to: nodeRef,
  }),
  fc.record({
    kind: fc.constant('setNodeField'),
    at: index,
    field: fc.constantFrom('id', 'type', 'module', 'config', 'position', 'description', 'extra'),
    value: fc.oneof(anyValue, fc.constantFrom('extractor', 'transformer', 'loader', ...NODE_IDS)),
  }),
  fc.record({
    kind: fc.constant('setConfigField'),
    at: index,
    field: fc.constantFrom('bucket', 'expression', 'columns', 'header', 'prefix', 'partition_by', 'unknown'),
    value: anyValue,
  }),
  fc.record({
    kind: fc.constant('renameModule'),
    at: index,
    module: fc.oneof(fc.constantFrom(...MODULE_NAMES), fc.string({ maxLength: 12 })),
  }),
  fc.record({
    kind: fc.constant('setTopField'),
    field: fc.constantFrom(
      'name',
      'nodes',
      'edges',
      'parameters',
      'execution',
      'schedule',
      'triggers',
      'id',
      'x',
    ),
    value: anyValue,
  }),
);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function itemAt(list: unknown, at: number): { list: unknown[]; index: number } | undefined {
  if (!Array.isArray(list) || list.length === 0) return undefined;
  return { list, index: at % list.length };
}

function applyMutation(document: Record<string, unknown>, change: Mutation): void {
  switch (change.kind) {
    case 'deleteNode':
    case 'duplicateNode':
    case 'deleteEdge': {
      const found = itemAt(change.kind === 'deleteEdge' ? document.edges : document.nodes, change.at);
      if (found === undefined) return;
      if (change.kind === 'duplicateNode') found.list.push(structuredClone(found.list[found.index]));
      else found.list.splice(found.index, 1);
      return;
    }
    case 'addEdge':
      if (Array.isArray(document.edges))
        document.edges.push({ source: change.source, target: change.target });
      return;
    case 'rewire': {
      const found = itemAt(document.edges, change.at);
      const target = found?.list[found.index];
      if (isRecord(target)) target[change.end] = change.to;
      return;
    }
    case 'setNodeField':
    case 'setConfigField':
    case 'renameModule': {
      const found = itemAt(document.nodes, change.at);
      const node = found?.list[found.index];
      if (!isRecord(node)) return;
      if (change.kind === 'renameModule') node.module = change.module;
      else if (change.kind === 'setNodeField') node[change.field] = change.value;
      else if (isRecord(node.config)) node.config[change.field] = change.value;
      return;
    }
    case 'setTopField':
      document[change.field] = change.value;
      return;
  }
}

const mutatedPipeline = fc.array(mutation, { maxLength: 5 }).map((changes) => {
  const document = validDocument();
  for (const change of changes) applyMutation(document, change);
  return document;
});

const loosePipeline = fc.record(
  {
    name: fc.oneof(fc.string(), fc.anything()),
    nodes: fc.array(fc.oneof(fc.anything(), fc.record({ id: nodeRef, type: anyValue, module: anyValue }))),
    edges: fc.oneof(fc.array(fc.record({ source: nodeRef, target: nodeRef })), fc.anything()),
  },
  { requiredKeys: [] },
);

const randomDocument = fc.oneof(
  fc.anything({ withNullPrototype: true, withSparseArray: true, withBoxedValues: true, maxDepth: 4 }),
  fc.jsonValue({ maxDepth: 4 }),
  loosePipeline,
);

function expectWellFormed(result: ValidationResult): void {
  expect(Object.keys(result).sort()).toStrictEqual(
    result.ok ? ['errors', 'ok', 'pipeline'] : ['errors', 'ok'],
  );
  if (result.ok) {
    expect(result.errors).toStrictEqual([]);
    expect(PipelineSchema.safeParse(result.pipeline).success).toBe(true);
    return;
  }
  expect(result.errors.length).toBeGreaterThan(0);
  for (const error of result.errors) {
    expect(error.pointer === '' || error.pointer.startsWith('/')).toBe(true);
    expect(KNOWN_CODES.has(error.code)).toBe(true);
    expect(typeof error.message).toBe('string');
    expect(error.message.length).toBeGreaterThan(0);
  }
}

describe('validatePipeline on generated documents', () => {
  it('starts from a base pipeline that validates', async () => {
    expect((await validatePipeline(validDocument(), registry)).ok).toBe(true);
  });

  it('never throws on arbitrary values and always returns a well-formed result', async () => {
    await fc.assert(
      fc.asyncProperty(randomDocument, async (document) => {
        expectWellFormed(await validatePipeline(document, registry));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on mutated valid pipelines and always returns a well-formed result', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedPipeline, async (document) => {
        const result = await validatePipeline(document, registry);

        expectWellFormed(result);
        if (result.ok) {
          // What validation returns validates again, unchanged.
          const again = await validatePipeline(structuredClone(result.pipeline), registry);
          expect(again).toStrictEqual(result);
        }
      }),
      { numRuns: 300 },
    );
  });
});
