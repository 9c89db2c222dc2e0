/**
 * Generated pipelines for fuzzing the validator and translator: DAGs that are
 * valid by construction (every registered module, configs drawn from each
 * module's real config schema), then mutated anywhere in the document so the
 * validator also meets every kind of broken input.
 */
import fc from 'fast-check';
import { z } from 'zod';
import { registry } from '../../../shared/modules/registry.ts';
import { type AnyModuleDefinition, inputArity } from '../../../shared/modules/types.ts';
import { pipelineJsonSchema } from '../../../shared/spec/schema.ts';
import { type JsonSchema, schemaArbitrary } from './json-schema.ts';
import { applyMutation, type Mutation } from './mutate-document.ts';

type Json = Record<string, unknown>;

const SQL_EXPRESSIONS = [
  'a',
  'b',
  'a > 1',
  'lower(trim(b))',
  'cost * 2',
  "a = getvariable('min_cost')",
  '"Flight Date"',
];
const DUCKDB_TYPES = ['VARCHAR', 'BIGINT', 'DATE', 'DOUBLE', 'DECIMAL(10,2)'];
const JSON_PATHS = ['$', '$.data', '$.data.items', '$.pages[0].next'];

/** Text that means something to the modules' semantic checks, by config field name. */
const FIELD_VOCABULARY: Record<string, readonly string[]> = {
  expression: SQL_EXPRESSIONS,
  keys: SQL_EXPRESSIONS,
  order_by: SQL_EXPRESSIONS,
  query: ['SELECT * FROM input', 'SELECT a, upper(b) AS c FROM input WHERE a > 0', 'SELECT 1 AS a'],
  cron: ['0 3 * * *', '*/5 * * * *', '0 0 1 1 *'],
  timezone: ['UTC', 'Europe/Paris'],
  columns: DUCKDB_TYPES,
  cast: DUCKDB_TYPES,
  type: DUCKDB_TYPES,
  records_path: JSON_PATHS,
  page_info_path: JSON_PATHS,
  next_url_path: JSON_PATHS,
  cursor_path: JSON_PATHS,
  pattern: ['*.csv', '**/*.json', '^[a-z]+$'],
};

/** Everything else: column names, buckets, prefixes, connection names. */
const VOCABULARY = ['a', 'b', 'cost', 'Flight Date', 'pg_main', 'public', 'raw-data', 'curated/out/'];

/** Strings that have broken parsers elsewhere: injection, traversal, control bytes, sheer size. */
const HOSTILE_STRINGS = [
  "'; DROP TABLE x; --",
  "1; SELECT * FROM read_csv('/etc/passwd')",
  '../../etc/passwd',
  '..%2F..%2Fetc',
  'a\u0000b',
  '"$.States"',
  '__proto__',
  'constructor',
  // A template placeholder, as text: nothing may evaluate it.
  ['$', '{x}'].join(''),
  '\u202e\ud83d\ude00',
  'x'.repeat(70_000),
];

const MODULES = registry.list();
const byKind = (kind: AnyModuleDefinition['kind']) => MODULES.filter((module) => module.kind === kind);
const EXTRACTORS = byKind('extractor').map((module) => module.name);
const TRANSFORMERS = byKind('transformer').map((module) => module.name);
const LOADERS = byKind('loader').map((module) => module.name);

/**
 * Mostly configs that pass the module's zod schema, cross-field rules included
 * (JSON Schema can't say "`key_columns` only with `upsert`"), else the SQL and
 * type checks would reject nearly every pipeline before the translator.
 */
function configArbitrary(module: AnyModuleDefinition): fc.Arbitrary<unknown> {
  const schema = z.toJSONSchema(module.configSchema, { io: 'input' }) as JsonSchema;
  const drawn = schemaArbitrary(schema, { vocabulary: VOCABULARY, fields: FIELD_VOCABULARY });
  const parses = drawn.filter((config) => module.configSchema.safeParse(config).success);
  return fc.oneof({ arbitrary: parses, weight: 19 }, { arbitrary: drawn, weight: 1 });
}
const CONFIGS = new Map(MODULES.map((module) => [module.name, configArbitrary(module)]));

const PIPELINE_PROPERTIES = (pipelineJsonSchema() as { properties: Record<string, JsonSchema> }).properties;
const topLevel = (field: string) =>
  schemaArbitrary(PIPELINE_PROPERTIES[field] ?? {}, {
    vocabulary: VOCABULARY,
    fields: FIELD_VOCABULARY,
    maxItems: 2,
  });
// Built once: arbitraries built inside `chain` would be rebuilt (regexes parsed again) per case.
const TOP_LEVEL = {
  parameters: topLevel('parameters'),
  schedule: topLevel('schedule'),
  triggers: topLevel('triggers'),
  notifications: topLevel('notifications'),
  execution: topLevel('execution'),
};

interface Step {
  readonly module: string;
  readonly pick: number;
  readonly inputs: number;
  /** Keep the consumed outputs open, so they feed a second consumer (a fork). */
  readonly fork: boolean;
}

interface Shape {
  readonly extractors: readonly string[];
  readonly steps: readonly Step[];
  readonly loaders: readonly string[];
}

interface PlannedNode {
  readonly type: AnyModuleDefinition['kind'];
  readonly module: string;
  readonly inputs: readonly number[];
}

const shapeArbitrary: fc.Arbitrary<Shape> = fc.record({
  extractors: fc.array(fc.constantFrom(...EXTRACTORS), { minLength: 1, maxLength: 3 }),
  steps: fc.array(
    fc.record({
      module: fc.constantFrom(...TRANSFORMERS),
      pick: fc.nat(),
      inputs: fc.integer({ min: 2, max: 8 }),
      fork: fc.boolean(),
    }),
    { maxLength: 8 },
  ),
  loaders: fc.array(fc.constantFrom(...LOADERS), { minLength: 1, maxLength: 3 }),
});

/** Lays a shape out as a DAG every node of which is reachable and ends in a loader. */
function planNodes(shape: Shape): PlannedNode[] {
  const nodes: PlannedNode[] = shape.extractors.map((module) => ({ type: 'extractor', module, inputs: [] }));
  let open = nodes.map((_, index) => index);
  for (const step of shape.steps) {
    const module = registry.get(step.module);
    if (module === undefined) continue;
    const arity = inputArity(module);
    const count = Math.min(Math.max(step.inputs, arity.min), arity.max, open.length);
    if (count < arity.min) continue;
    const rotated = [...open.slice(step.pick % open.length), ...open.slice(0, step.pick % open.length)];
    const inputs = rotated.slice(0, count);
    if (!step.fork) open = open.filter((index) => !inputs.includes(index));
    nodes.push({ type: 'transformer', module: step.module, inputs });
    open.push(nodes.length - 1);
  }
  open.forEach((index, n) => {
    nodes.push({
      type: 'loader',
      module: shape.loaders[n % shape.loaders.length] ?? 's3-parquet',
      inputs: [index],
    });
  });
  return nodes;
}

const NODE_ID = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,11}$/);

/** A pipeline that should validate (its configs may still fail a module's SQL or type checks). */
export const validPipelineArbitrary: fc.Arbitrary<Json> = shapeArbitrary.map(planNodes).chain((planned) =>
  fc
    .record(
      {
        name: fc.string({ minLength: 1, maxLength: 128 }),
        ids: fc.uniqueArray(NODE_ID, { minLength: planned.length, maxLength: planned.length }),
        configs: fc.tuple(...planned.map((node) => CONFIGS.get(node.module) ?? fc.constant({}))),
        positions: fc.array(fc.record({ x: fc.integer(), y: fc.integer() }), {
          minLength: planned.length,
          maxLength: planned.length,
        }),
        ...TOP_LEVEL,
      },
      { requiredKeys: ['name', 'ids', 'configs', 'positions'] },
    )
    .map(({ ids, configs, positions, ...rest }) => ({
      ...rest,
      nodes: planned.map((node, index) => ({
        id: ids[index],
        type: node.type,
        module: node.module,
        config: configs[index],
        position: positions[index],
      })),
      edges: planned.flatMap((node, index) =>
        node.inputs.map((input) => ({ source: ids[input], target: ids[index] })),
      ),
    })),
);

/** A JSON-ish value to write over any part of a document: random, hostile or of the wrong shape. */
const replacement: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(
    ...HOSTILE_STRINGS,
    ...VOCABULARY,
    ...SQL_EXPRESSIONS,
    ...EXTRACTORS,
    ...TRANSFORMERS,
    ...LOADERS,
  ),
  fc.constantFrom(-1, 0, 1e308, -0, Number.MAX_SAFE_INTEGER + 2, 0.5, '', [], {}, null, true),
  fc.anything({ maxDepth: 2, withNullPrototype: true, withSparseArray: true, withBoxedValues: true }),
);

export const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('replace'), at: fc.nat(), value: replacement }),
  fc.record({ op: fc.constantFrom('delete', 'duplicate'), at: fc.nat() }),
  fc.record({
    op: fc.constant('addKey'),
    at: fc.nat(),
    key: fc.oneof(
      fc.constantFrom('id', 'module', 'source', 'x', '$ref', 'config'),
      fc.string({ maxLength: 8 }),
    ),
    value: replacement,
  }),
  fc.record({ op: fc.constant('swapConfig'), at: fc.nat() }),
);

/** A valid pipeline, 0 to 4 mutations applied; with no mutation it reaches the translator. */
export const mutatedPipelineArbitrary: fc.Arbitrary<Json> = fc
  .record({
    document: validPipelineArbitrary,
    mutations: fc.array(mutationArbitrary, { maxLength: 4 }),
    swaps: fc.array(fc.oneof(...MODULES.map((module) => CONFIGS.get(module.name) ?? fc.constant({}))), {
      minLength: 4,
      maxLength: 4,
    }),
  })
  .map(({ document, mutations, swaps }) => {
    // Generated values are reused while shrinking: mutate a copy.
    const copy = structuredClone(document);
    mutations.forEach((mutation, index) => {
      applyMutation(copy, mutation, swaps[index]);
    });
    return copy;
  });
