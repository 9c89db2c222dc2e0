import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { registry } from '../../../../shared/modules/registry.ts';
import { EXECUTION_DEFAULTS } from '../../../../shared/spec/defaults.ts';
import { PipelineSchema } from '../../../../shared/spec/schema.ts';
import { type ValidationError, validatePipeline } from '../../../../shared/spec/validate.ts';
import { RESERVED_STATE_NAMES } from '../../../../statemachines/state-names.ts';

interface NodeDocument {
  id: unknown;
  type?: unknown;
  module?: unknown;
  config?: unknown;
}

interface EdgeDocument {
  source: unknown;
  target: unknown;
}

const SOURCE = { id: 'src', type: 'extractor', module: 's3-csv', config: { bucket: 'raw-data' } };
const KEEP = { id: 'keep', type: 'transformer', module: 'filter', config: { expression: 'amount > 0' } };
const SINK = { id: 'sink', type: 'loader', module: 's3-parquet', config: { bucket: 'curated-data' } };

function edge(source: string, target: string): EdgeDocument {
  return { source, target };
}

function pipelineDocument(nodes: NodeDocument[], edges: EdgeDocument[]): Record<string, unknown> {
  return { name: 'test pipeline', nodes, edges };
}

/** src -> keep -> sink, with node fields overridable per id. */
function linearDocument(overrides: Partial<Record<'src' | 'keep' | 'sink', Partial<NodeDocument>>> = {}) {
  return pipelineDocument(
    [
      { ...SOURCE, ...overrides.src },
      { ...KEEP, ...overrides.keep },
      { ...SINK, ...overrides.sink },
    ],
    [edge('src', 'keep'), edge('keep', 'sink')],
  );
}

async function loadFixture(name: string): Promise<unknown> {
  const url = new URL(`../../../fixtures/pipelines/${name}`, import.meta.url);
  return JSON.parse(await readFile(url, 'utf8')) as unknown;
}

async function errorsOf(document: unknown): Promise<readonly ValidationError[]> {
  const result = await validatePipeline(document, registry);
  expect(result.ok).toBe(false);
  return result.errors;
}

/** The errors as `{pointer, code}` pairs, for exact comparison without the prose. */
async function locationsOf(document: unknown): Promise<{ pointer: string; code: string }[]> {
  return (await errorsOf(document)).map(({ pointer, code }) => ({ pointer, code }));
}

describe('validatePipeline', () => {
  describe('valid pipelines', () => {
    it('accepts the valid fixture and applies the pipeline defaults', async () => {
      const document = await loadFixture('valid.json');

      const result = await validatePipeline(document, registry);

      expect(result.errors).toStrictEqual([]);
      if (!result.ok) throw new Error('expected the fixture to validate');
      expect(result.pipeline.nodes.map((node) => [node.id, node.type, node.module])).toStrictEqual([
        ['strikes', 'extractor', 's3-csv'],
        ['costly', 'transformer', 'filter'],
        ['curated', 'loader', 's3-parquet'],
      ]);
      expect(result.pipeline.parameters).toStrictEqual({});
      expect(result.pipeline.triggers).toStrictEqual([]);
      expect(result.pipeline.notifications).toStrictEqual({ on_failure: [], on_success: [] });
      expect(result.pipeline.execution).toStrictEqual({
        chunk_size_bytes: EXECUTION_DEFAULTS.chunk_size_bytes,
        max_concurrency: EXECUTION_DEFAULTS.max_concurrency,
        shuffle_buckets: EXECUTION_DEFAULTS.shuffle_buckets,
        broadcast_join_max_bytes: EXECUTION_DEFAULTS.broadcast_join_max_bytes,
        fuse: EXECUTION_DEFAULTS.fuse,
        max_reject_ratio: EXECUTION_DEFAULTS.max_reject_ratio,
        distributed: { ...EXECUTION_DEFAULTS.distributed },
        timeout_seconds: EXECUTION_DEFAULTS.timeout_seconds,
        task_timeout_seconds: EXECUTION_DEFAULTS.task_timeout_seconds,
        retries: { ...EXECUTION_DEFAULTS.retries },
      });
      expect(result.pipeline).toStrictEqual(PipelineSchema.parse(document));
    });

    it('defaults a missing edges list and node config', async () => {
      const document = { name: 'lonely', nodes: [{ id: 'src', type: 'extractor', module: 's3-csv' }] };

      const errors = await locationsOf(document);

      // The node's config defaults to {}, which s3-csv rejects: the bucket is required.
      expect(errors).toStrictEqual([{ pointer: '/nodes/0/config/bucket', code: 'config' }]);
    });

    it('accepts the birdstrikes example with its SQL expressions and declared types', async () => {
      const url = new URL('../../../../examples/birdstrikes/pipeline.json', import.meta.url);
      const document = JSON.parse(await readFile(url, 'utf8')) as unknown;

      const result = await validatePipeline(document, registry);

      expect(result.errors).toStrictEqual([]);
      expect(result.ok).toBe(true);
    });
  });

  describe('the four-problems fixture', () => {
    it('reports the cycle, unknown module, missing config field and dangling edge in one call', async () => {
      const document = await loadFixture('four-problems.json');

      const result = await validatePipeline(document, registry);

      expect(result.ok).toBe(false);
      const locations = result.errors.map(({ pointer, code }) => ({ pointer, code }));
      expect(locations).toEqual(
        expect.arrayContaining([
          { pointer: '/edges/2', code: 'cycle' },
          { pointer: '/nodes/1/module', code: 'unknown_module' },
          { pointer: '/nodes/2/config/expression', code: 'config' },
          { pointer: '/edges/4/source', code: 'dangling_edge' },
        ]),
      );
      // The cycle's entry also has two inputs; nothing else is reported.
      expect(locations).toHaveLength(5);
      expect(locations).toContainEqual({ pointer: '/nodes/1', code: 'too_many_inputs' });
      const messages = result.errors.map((error) => error.message);
      expect(messages).toContain('cycle: tidy -> costly -> tidy');
      expect(messages).toContain('edge source "ghost" is not a node id');
      expect(messages.some((message) => message.includes('unknown module "cleen"'))).toBe(true);
    });
  });

  describe('schema', () => {
    it.each([
      ['null', null],
      ['an array', [SOURCE]],
      ['a string', '{"name":"x"}'],
      ['a number', 42],
      ['undefined', undefined],
    ])('fails when the document is %s', async (_label, document) => {
      const errors = await errorsOf(document);

      expect(errors).toStrictEqual([
        { pointer: '', code: 'schema', message: 'a pipeline must be a JSON object' },
      ]);
    });

    it('fails when the name is missing', async () => {
      const { name: _name, ...document } = linearDocument();

      expect(await locationsOf(document)).toStrictEqual([{ pointer: '/name', code: 'schema' }]);
    });

    it('fails when the document has an unknown top-level field', async () => {
      const document = { ...linearDocument(), owner: 'someone' };

      const errors = await errorsOf(document);

      expect(errors).toStrictEqual([{ pointer: '', code: 'schema', message: 'unknown field: owner' }]);
    });

    it('fails when there are no nodes', async () => {
      expect(await locationsOf({ name: 'empty', nodes: [] })).toStrictEqual([
        { pointer: '/nodes', code: 'schema' },
      ]);
    });

    it('fails when a node id breaks the identifier rule', async () => {
      const document = linearDocument({ src: { id: '1st source' } });
      document.edges = [edge('1st source', 'keep'), edge('keep', 'sink')];

      const errors = await errorsOf(document);

      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ pointer: '/nodes/0/id', code: 'schema' });
      expect(errors[0]?.message).toContain('must start with a letter');
    });

    it('fails when a node type is not one of the three kinds', async () => {
      const errors = await locationsOf(linearDocument({ keep: { type: 'mapper' } }));

      // The module check still runs: "mapper" is not the filter's kind either.
      expect(errors).toStrictEqual([
        { pointer: '/nodes/1/type', code: 'schema' },
        { pointer: '/nodes/1/type', code: 'type_mismatch' },
      ]);
    });

    it('fails when a nested execution setting is out of range', async () => {
      const document = { ...linearDocument(), execution: { retries: { max_attempts: 11 } } };

      expect(await locationsOf(document)).toStrictEqual([
        { pointer: '/execution/retries/max_attempts', code: 'schema' },
      ]);
    });

    it('fails when a node is not an object, and still checks the others', async () => {
      const document = pipelineDocument(
        [SOURCE, 'keep' as unknown as NodeDocument, { ...SINK, module: 's3-parket' }],
        [edge('src', 'sink')],
      );

      expect(await locationsOf(document)).toStrictEqual([
        { pointer: '/nodes/1', code: 'schema' },
        { pointer: '/nodes/2/module', code: 'unknown_module' },
      ]);
    });
  });

  describe('unknown_module', () => {
    it('fails when a node names a module the registry lacks, suggesting the closest name', async () => {
      const errors = await errorsOf(linearDocument({ keep: { module: 'fliter' } }));

      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ pointer: '/nodes/1/module', code: 'unknown_module' });
      expect(errors[0]?.message).toContain('unknown module "fliter" (did you mean "filter"?)');
      expect(errors[0]?.message).toContain('known modules: s3-csv, s3-json, filter');
    });

    it('fails without a suggestion when no module name is close', async () => {
      const errors = await errorsOf(linearDocument({ keep: { module: 'postgres-table-reader' } }));

      expect(errors.map(({ pointer, code }) => ({ pointer, code }))).toStrictEqual([
        { pointer: '/nodes/1/module', code: 'unknown_module' },
      ]);
      expect(errors[0]?.message).not.toContain('did you mean');
    });
  });

  describe('type_mismatch', () => {
    it('fails when the node type differs from the module kind', async () => {
      const document = linearDocument({
        keep: { type: 'transformer', module: 's3-parquet', config: { bucket: 'curated-data' } },
      });

      const errors = await errorsOf(document);

      expect(errors).toStrictEqual([
        {
          pointer: '/nodes/1/type',
          code: 'type_mismatch',
          message: 'module "s3-parquet" is a loader, but the node\'s type is "transformer"',
        },
      ]);
    });
  });

  describe('config', () => {
    it('fails when an extractor lacks its bucket', async () => {
      const errors = await locationsOf(linearDocument({ src: { config: { prefix: 'in/' } } }));

      expect(errors).toStrictEqual([{ pointer: '/nodes/0/config/bucket', code: 'config' }]);
    });

    it('fails when a strict config has an unknown field', async () => {
      const errors = await errorsOf(
        linearDocument({ src: { config: { bucket: 'raw-data', key: 'a.csv' } } }),
      );

      expect(errors).toStrictEqual([
        { pointer: '/nodes/0/config', code: 'config', message: 'unknown field: key' },
      ]);
    });

    it('fails when a config field has the wrong type', async () => {
      const errors = await locationsOf(
        linearDocument({ src: { config: { bucket: 'raw-data', header: 'yes' } } }),
      );

      expect(errors).toStrictEqual([{ pointer: '/nodes/0/config/header', code: 'config' }]);
    });

    it('fails when the filter expression does not parse as SQL', async () => {
      const errors = await errorsOf(linearDocument({ keep: { config: { expression: 'amount >' } } }));

      expect(errors).toStrictEqual([
        { pointer: '/nodes/1/config/expression', code: 'config', message: 'syntax error at end of input' },
      ]);
    });

    it('fails when the filter expression is a query rather than an expression', async () => {
      const document = linearDocument({ keep: { config: { expression: 'amount FROM secrets' } } });

      const errors = await errorsOf(document);

      expect(errors.map(({ pointer, code }) => ({ pointer, code }))).toStrictEqual([
        { pointer: '/nodes/1/config/expression', code: 'config' },
      ]);
      expect(errors[0]?.message).toContain('not a query');
    });

    it('fails at the derived column whose expression is bad', async () => {
      const config = {
        columns: [
          { name: 'ok', expression: 'a + 1' },
          { name: 'bad', expression: 'a +' },
        ],
      };
      const document = linearDocument({ keep: { module: 'derive', config } });

      expect(await locationsOf(document)).toStrictEqual([
        { pointer: '/nodes/1/config/columns/1/expression', code: 'config' },
      ]);
    });

    it('fails at the declared column whose type does not exist, escaping the pointer', async () => {
      const config = { bucket: 'raw-data', columns: { 'a/b~c': 'NOT_A_TYPE', fine: 'DATE' } };

      const errors = await errorsOf(linearDocument({ src: { config } }));

      expect(errors.map(({ pointer, code }) => ({ pointer, code }))).toStrictEqual([
        { pointer: '/nodes/0/config/columns/a~1b~0c', code: 'config' },
      ]);
      expect(errors[0]?.message).toContain('NOT_A_TYPE');
    });

    it('fails when config is not an object, reporting both the pipeline and the module schema', async () => {
      const errors = await locationsOf(linearDocument({ keep: { config: 'amount > 0' } }));

      expect(errors).toStrictEqual([
        { pointer: '/nodes/1/config', code: 'schema' },
        { pointer: '/nodes/1/config', code: 'config' },
      ]);
    });
  });

  describe('duplicate_id', () => {
    it('fails when two nodes share an id, pointing at the second', async () => {
      const document = pipelineDocument(
        [SOURCE, KEEP, SINK, { ...KEEP, config: { expression: 'amount < 100' } }],
        [edge('src', 'keep'), edge('keep', 'sink')],
      );

      const errors = await errorsOf(document);

      expect(errors).toStrictEqual([
        { pointer: '/nodes/3/id', code: 'duplicate_id', message: 'duplicate node id "keep" (also /nodes/1)' },
      ]);
    });
  });

  describe('reserved_id', () => {
    it.each(RESERVED_STATE_NAMES)('fails when a node is called %s', async (reserved) => {
      const document = pipelineDocument([{ ...SOURCE, id: reserved }, SINK], [edge(reserved, 'sink')]);

      const errors = await errorsOf(document);

      expect(errors).toStrictEqual([
        {
          pointer: '/nodes/0/id',
          code: 'reserved_id',
          message: `"${reserved}" is reserved for the state machine's own states`,
        },
      ]);
    });

    it('accepts ids that merely contain a reserved name', async () => {
      const document = pipelineDocument([{ ...SOURCE, id: 'InitData' }, SINK], [edge('InitData', 'sink')]);

      expect((await validatePipeline(document, registry)).ok).toBe(true);
    });
  });

  describe('dangling_edge', () => {
    it('fails when an edge targets a node that does not exist', async () => {
      const document = linearDocument();
      document.edges = [edge('src', 'keep'), edge('keep', 'sink'), edge('keep', 'nowhere')];

      const errors = await errorsOf(document);

      expect(errors).toStrictEqual([
        {
          pointer: '/edges/2/target',
          code: 'dangling_edge',
          message: 'edge target "nowhere" is not a node id',
        },
      ]);
    });

    it('reports both ends when neither exists', async () => {
      const document = linearDocument();
      document.edges = [edge('src', 'keep'), edge('keep', 'sink'), edge('from', 'to')];

      expect(await locationsOf(document)).toStrictEqual([
        { pointer: '/edges/2/source', code: 'dangling_edge' },
        { pointer: '/edges/2/target', code: 'dangling_edge' },
      ]);
    });
  });

  describe('duplicate_edge', () => {
    it('fails when the same edge appears twice', async () => {
      const document = linearDocument();
      document.edges = [edge('src', 'keep'), edge('keep', 'sink'), edge('keep', 'sink')];

      const errors = await errorsOf(document);

      expect(errors).toStrictEqual([
        {
          pointer: '/edges/2',
          code: 'duplicate_edge',
          message: 'duplicate edge keep -> sink (also /edges/1)',
        },
      ]);
    });
  });

  describe('cycle', () => {
    it('fails when transformers form a loop, pointing at the closing edge', async () => {
      const other = { ...KEEP, id: 'again' };
      const document = pipelineDocument(
        [SOURCE, KEEP, other, SINK],
        [edge('src', 'keep'), edge('keep', 'again'), edge('again', 'keep'), edge('again', 'sink')],
      );

      const errors = await errorsOf(document);

      expect(errors.map(({ pointer, code }) => ({ pointer, code }))).toStrictEqual([
        { pointer: '/nodes/1', code: 'too_many_inputs' },
        { pointer: '/edges/2', code: 'cycle' },
      ]);
      expect(errors[1]?.message).toBe('cycle: keep -> again -> keep');
    });

    it('fails when a node feeds itself', async () => {
      const document = linearDocument();
      document.edges = [edge('src', 'keep'), edge('keep', 'keep'), edge('keep', 'sink')];

      const errors = await errorsOf(document);

      expect(errors).toContainEqual({ pointer: '/edges/1', code: 'cycle', message: 'cycle: keep -> keep' });
    });
  });

  describe('extractor_with_inputs', () => {
    it('fails when an edge leads into an extractor', async () => {
      const second = { ...SOURCE, id: 'src2' };
      const document = pipelineDocument([SOURCE, second, SINK], [edge('src', 'src2'), edge('src2', 'sink')]);

      const errors = await errorsOf(document);

      expect(errors).toStrictEqual([
        {
          pointer: '/nodes/1',
          code: 'extractor_with_inputs',
          message: 'extractor "src2" has inputs from src',
        },
      ]);
    });
  });

  describe('loader_with_outputs', () => {
    it('fails when an edge leaves a loader', async () => {
      const archive = { ...SINK, id: 'archive' };
      const document = pipelineDocument(
        [SOURCE, SINK, archive],
        [edge('src', 'sink'), edge('sink', 'archive')],
      );

      const errors = await errorsOf(document);

      expect(errors).toStrictEqual([
        { pointer: '/nodes/1', code: 'loader_with_outputs', message: 'loader "sink" has outputs to archive' },
      ]);
    });
  });

  describe('too_many_inputs', () => {
    it('fails when a loader has two inputs', async () => {
      const second = { ...SOURCE, id: 'src2' };
      const document = pipelineDocument([SOURCE, second, SINK], [edge('src', 'sink'), edge('src2', 'sink')]);

      const errors = await errorsOf(document);

      expect(errors.map(({ pointer, code }) => ({ pointer, code }))).toStrictEqual([
        { pointer: '/nodes/2', code: 'too_many_inputs' },
      ]);
      expect(errors[0]?.message).toContain('"sink" has 2 inputs (src, src2)');
    });
  });

  describe('dead_end', () => {
    it('fails when a transformer has no outgoing edge', async () => {
      const document = linearDocument();
      document.edges = [edge('src', 'keep'), edge('src', 'sink')];

      const errors = await errorsOf(document);

      expect(errors.map(({ pointer, code }) => ({ pointer, code }))).toStrictEqual([
        { pointer: '/nodes/1', code: 'dead_end' },
      ]);
      expect(errors[0]?.message).toContain('transformer "keep" has no outgoing edge');
    });
  });

  describe('no_extractor', () => {
    it('fails when no node is an extractor, and every node is unreachable', async () => {
      const document = pipelineDocument([KEEP, SINK], [edge('keep', 'sink')]);

      const errors = await errorsOf(document);

      expect(errors.map(({ pointer, code }) => ({ pointer, code }))).toStrictEqual([
        { pointer: '/nodes', code: 'no_extractor' },
        { pointer: '/nodes/0', code: 'unreachable' },
        { pointer: '/nodes/1', code: 'unreachable' },
      ]);
      expect(errors[0]?.message).toBe('the pipeline has no extractor node');
    });
  });

  describe('unreachable', () => {
    it('fails when a branch is not connected to any extractor', async () => {
      const orphan = { ...KEEP, id: 'orphan' };
      const archive = { ...SINK, id: 'archive' };
      const document = pipelineDocument(
        [SOURCE, SINK, orphan, archive],
        [edge('src', 'sink'), edge('orphan', 'archive')],
      );

      const errors = await errorsOf(document);

      expect(errors).toStrictEqual([
        { pointer: '/nodes/2', code: 'unreachable', message: '"orphan" is not reachable from any extractor' },
        {
          pointer: '/nodes/3',
          code: 'unreachable',
          message: '"archive" is not reachable from any extractor',
        },
      ]);
    });
  });

  describe('every problem at once', () => {
    it('reports schema, node and graph problems together', async () => {
      const { name: _name, ...document } = linearDocument({ keep: { module: 'filtre' } });
      document.edges = [edge('src', 'keep'), edge('keep', 'sink'), edge('src', 'missing')];

      expect(await locationsOf(document)).toStrictEqual([
        { pointer: '/name', code: 'schema' },
        { pointer: '/nodes/1/module', code: 'unknown_module' },
        { pointer: '/edges/2/target', code: 'dangling_edge' },
      ]);
    });
  });
});
