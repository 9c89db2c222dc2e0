/**
 * `execution.shuffle_buckets: auto`: each stage shuffles with a modulus of
 * its own (a power of two covering its chunk count) and each barrier reduces
 * in as many tasks as its shuffled bytes need. Checked against DuckDB over
 * the whole input, with barrier inputs of different moduli (1 chunk joined
 * to 7), fused and unfused, inline and Distributed Map; and the reduce task
 * count must grow with the input while a fixed count stays fixed.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listObjects } from '../../shared/aws/s3-objects.ts';
import { parseShuffleFileKey, shufflePrefix } from '../../shared/chunks/shuffle.ts';
import { LOCAL_STAGING_BUCKET } from '../../shared/runtime/local-services.ts';
import { type LocalRunResult, runPipelineLocally } from '../../shared/runtime/run-local.ts';
import { type Pipeline, PipelineSchema } from '../../shared/spec/schema.ts';
import {
  putLocalFile,
  queryDataset,
  queryDirectly,
  startTestEnvironment,
  type TestEnvironment,
} from './harness.ts';

// 7 x 576: fixed-width records make the facts exactly 7 chunks; the dimension fits in one.
const FACT_ROWS = 4032;
const CHUNK_ROWS = 576;
const HEADER = 'key,name,amount\n';
/** Every record is `kNN,xxxxx,DDDD.CC\n`: 18 bytes. */
const RECORD_BYTES = 18;

interface Row {
  readonly key: number;
  readonly name: string;
  readonly cents: number;
}

function toCsv(rows: readonly Row[]): string {
  const line = (row: Row) =>
    `k${String(row.key).padStart(2, '0')},${row.name},${String(Math.floor(row.cents / 100)).padStart(4, '0')}.${String(row.cents % 100).padStart(2, '0')}\n`;
  return HEADER + rows.map(line).join('');
}

const factArbitrary = fc.array(
  fc.record({
    key: fc.integer({ min: 0, max: 15 }),
    name: fc.constantFrom('alpha', 'bravo', 'delta', 'gamma'),
    cents: fc.integer({ min: 0, max: 99_999 }),
  }),
  { minLength: FACT_ROWS, maxLength: FACT_ROWS },
);
/** Keys 4-19: facts of keys 0-3 match nothing, dimension rows of keys 16-19 match nothing. */
const dimensionArbitrary = fc.array(
  fc.record({
    key: fc.integer({ min: 4, max: 19 }),
    name: fc.constantFrom('north', 'south'),
    cents: fc.integer({ min: 0, max: 99_999 }),
  }),
  { minLength: 20, maxLength: 200 },
);

const TYPED_COLUMNS = { amount: 'DECIMAL(10,2)', key: 'VARCHAR' };
const OUTPUTS = ['dedup', 'aggregate', 'left', 'full', 'union', 'per_name'] as const;
type Output = (typeof OUTPUTS)[number];

interface Variant {
  readonly fuse: boolean;
  readonly mode: 'inline' | 'distributed';
}

function mixedPipeline(prefix: string, variant: Variant): Pipeline {
  const extractor = (id: string, folder: string) => ({
    id,
    type: 'extractor' as const,
    module: 's3-csv',
    config: { bucket: 'raw', prefix: folder, columns: TYPED_COLUMNS },
  });
  const joinNode = (id: string, type: string) => ({
    id,
    type: 'transformer' as const,
    module: 'join',
    // Pinned to shuffle: auto would broadcast so small a dimension.
    config: { type, strategy: 'shuffle', on: [{ left: 'key', right: 'key' }] },
  });
  return PipelineSchema.parse({
    name: 'auto buckets',
    nodes: [
      extractor('facts', 'facts/'),
      extractor('dim', 'dims/'),
      {
        id: 'dedup',
        type: 'transformer',
        module: 'dedup',
        config: { keys: ['key', 'name'], order_by: 'amount', descending: true },
      },
      {
        id: 'aggregate',
        type: 'transformer',
        module: 'aggregate',
        config: {
          group_by: ['key'],
          aggregates: [
            { name: 'n', function: 'count' },
            { name: 'total', function: 'sum', expression: 'amount' },
          ],
        },
      },
      joinNode('left', 'left'),
      joinNode('full', 'full'),
      { id: 'union', type: 'transformer', module: 'union', config: { distinct: true } },
      // A barrier after a barrier: its input's modulus comes from the dedup's reduce task count.
      {
        id: 'per_name',
        type: 'transformer',
        module: 'aggregate',
        config: { group_by: ['name'], aggregates: [{ name: 'n', function: 'count' }] },
      },
      ...OUTPUTS.map((id) => ({
        id: `out_${id}`,
        type: 'loader' as const,
        module: 's3-parquet',
        config: { bucket: 'lake', prefix: `${prefix}${id}/` },
      })),
    ],
    edges: [
      { source: 'facts', target: 'dedup' },
      { source: 'facts', target: 'aggregate' },
      { source: 'facts', target: 'left' },
      { source: 'dim', target: 'left' },
      // The one-chunk input first: input 0 has the small modulus here.
      { source: 'dim', target: 'full' },
      { source: 'facts', target: 'full' },
      { source: 'facts', target: 'union' },
      { source: 'dim', target: 'union' },
      { source: 'dedup', target: 'per_name' },
      ...OUTPUTS.map((id) => ({ source: id, target: `out_${id}` })),
    ],
    execution: {
      chunk_size_bytes: CHUNK_ROWS * RECORD_BYTES,
      shuffle_buckets: 'auto',
      fuse: variant.fuse,
      distributed: { mode: variant.mode },
      max_concurrency: 16,
    },
  });
}

function mixedOracle(facts: string, dims: string): Record<Output, string> {
  const read = (path: string) => `read_csv('${path}', types = {'amount': 'DECIMAL(10,2)', 'key': 'VARCHAR'})`;
  const dedup = `SELECT key, name, amount FROM (SELECT *, row_number() OVER () AS r FROM ${read(facts)})
            QUALIFY row_number() OVER (PARTITION BY key, name ORDER BY amount DESC NULLS LAST, r) = 1`;
  return {
    dedup,
    per_name: `SELECT name, count(*)::BIGINT AS n FROM (${dedup}) GROUP BY name`,
    aggregate: `SELECT key, count(*)::BIGINT AS n, sum(amount) AS total FROM ${read(facts)} GROUP BY key`,
    left: `SELECT coalesce(l.key, r.key) AS key, l.name, l.amount, r.name AS name_right, r.amount AS amount_right
           FROM ${read(facts)} AS l LEFT JOIN ${read(dims)} AS r ON l.key = r.key`,
    full: `SELECT coalesce(l.key, r.key) AS key, l.name, l.amount, r.name AS name_right, r.amount AS amount_right
           FROM ${read(dims)} AS l FULL JOIN ${read(facts)} AS r ON l.key = r.key`,
    union: `SELECT DISTINCT * FROM (SELECT * FROM ${read(facts)} UNION ALL SELECT * FROM ${read(dims)})`,
  };
}

const COLUMNS: Record<Output, string> = {
  dedup: 'key, name, amount',
  aggregate: 'key, n::BIGINT AS n, total',
  left: 'key, name, amount, name_right, amount_right',
  full: 'key, name, amount, name_right, amount_right',
  union: 'key, name, amount',
  per_name: 'name, n::BIGINT AS n',
};

interface ShuffleSummary {
  /** Per input, the moduli its files were shuffled with. */
  readonly moduli: number[][];
  readonly bytes: number;
}

async function shuffleSummary(env: TestEnvironment, runId: string, nodeId: string): Promise<ShuffleSummary> {
  const objects = await listObjects(env.services.s3, LOCAL_STAGING_BUCKET, shufflePrefix(runId, nodeId));
  const moduli: number[][] = [];
  let bytes = 0;
  for (const object of objects) {
    const file = parseShuffleFileKey(object.key);
    if (file === undefined) continue;
    const seen = moduli[file.input] ?? [];
    if (!seen.includes(file.modulus)) seen.push(file.modulus);
    moduli[file.input] = seen;
    bytes += object.size;
  }
  return { moduli, bytes };
}

function tasksOf(result: LocalRunResult, nodeId: string): number | undefined {
  return result.nodes.find((node) => node.nodeId === nodeId)?.chunks;
}

describe('auto shuffle buckets', () => {
  let env: TestEnvironment;
  let round = 0;

  beforeAll(async () => {
    env = await startTestEnvironment();
  });
  afterAll(() => env.close());

  it('match DuckDB when barrier inputs were shuffled with different moduli', async () => {
    await fc.assert(
      fc.asyncProperty(factArbitrary, dimensionArbitrary, async (facts, dims) => {
        round++;
        const factsPath = join(env.scratch, `facts-${round}.csv`);
        const dimsPath = join(env.scratch, `dims-${round}.csv`);
        await writeFile(factsPath, toCsv(facts));
        await writeFile(dimsPath, toCsv(dims));
        await putLocalFile(env, factsPath, 'raw', 'facts/facts.csv');
        await putLocalFile(env, dimsPath, 'raw', 'dims/dims.csv');
        const expected = mixedOracle(factsPath, dimsPath);

        const variants: Variant[] = [
          { fuse: true, mode: 'inline' },
          { fuse: false, mode: 'distributed' },
        ];
        for (const variant of variants) {
          const label = `fuse ${variant.fuse}, ${variant.mode}`;
          const prefix = `m${round}/${variant.fuse}-${variant.mode}/`;
          const result = await runPipelineLocally(mixedPipeline(prefix, variant), env.services);
          expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
          expect(tasksOf(result, 'facts'), label).toBe(7);
          expect(tasksOf(result, 'dim'), label).toBe(1);
          // 7 chunks shuffle into 8 buckets, 1 chunk into 1: the reduce must split the small input.
          const full = await shuffleSummary(env, result.runId, 'full');
          expect(full.moduli, label).toStrictEqual([[1], [8]]);
          expect(tasksOf(result, 'full'), label).toBeGreaterThan(1);
          expect(tasksOf(result, 'left'), label).toBeGreaterThan(1);
          // The dedup reduced in several tasks, so its stage shuffled with a modulus above 1.
          const afterBarrier = await shuffleSummary(env, result.runId, 'per_name');
          expect(afterBarrier.moduli[0]?.[0] ?? 0, label).toBeGreaterThan(1);

          for (const name of OUTPUTS) {
            const actual = await queryDataset(
              env,
              'lake',
              `${prefix}${name}/`,
              `SELECT ${COLUMNS[name]} FROM dataset ORDER BY ALL`,
            );
            const wanted = await queryDirectly(
              `SELECT ${COLUMNS[name]} FROM (${expected[name]}) ORDER BY ALL`,
            );
            expect(actual, `${name} (${label})`).toStrictEqual(wanted);
          }
        }
      }),
      { numRuns: 1, endOnFailure: true },
    );
  }, 480_000);

  /** Unique ids: hash buckets fill evenly, so bytes per task say what a worker holds. */
  function idsCsv(rows: number, seed: number): string {
    const lines: string[] = ['id,name,amount'];
    for (let row = 0; row < rows; row++) {
      const id = (row * 7919 + seed) % 1_000_000_007;
      lines.push(
        `${String(id).padStart(10, '0')},n${String(row % 97).padStart(4, '0')},${String(row % 10_000).padStart(7, '0')}`,
      );
    }
    return `${lines.join('\n')}\n`;
  }
  /** `dddddddddd,nNNNN,DDDDDDD\n`. */
  const ID_RECORD_BYTES = 25;
  const ID_CHUNK_BYTES = 32 * 1024;
  const ROWS_PER_CHUNK = Math.floor(ID_CHUNK_BYTES / ID_RECORD_BYTES);

  function dedupPipeline(prefix: string, folder: string, shuffleBuckets: 'auto' | number): Pipeline {
    return PipelineSchema.parse({
      name: 'dedup growth',
      nodes: [
        {
          id: 'src',
          type: 'extractor',
          module: 's3-csv',
          config: { bucket: 'raw', prefix: folder, columns: { id: 'VARCHAR' } },
        },
        { id: 'dedup', type: 'transformer', module: 'dedup', config: { keys: ['id'] } },
        { id: 'out', type: 'loader', module: 's3-parquet', config: { bucket: 'lake', prefix } },
      ],
      edges: [
        { source: 'src', target: 'dedup' },
        { source: 'dedup', target: 'out' },
      ],
      execution: { chunk_size_bytes: ID_CHUNK_BYTES, shuffle_buckets: shuffleBuckets, max_concurrency: 16 },
    });
  }

  it('reduce in more tasks as the input grows, each reading about one chunk size', async () => {
    const tasks = new Map<number, number>();
    for (const chunks of [1, 4, 16]) {
      const folder = `ids-${chunks}/`;
      const path = join(env.scratch, `ids-${chunks}.csv`);
      // A little under `chunks` chunk sizes, so the plan cuts exactly `chunks` chunks.
      await writeFile(path, idsCsv(chunks * ROWS_PER_CHUNK - 10, chunks));
      await putLocalFile(env, path, 'raw', `${folder}ids.csv`);
      const prefix = `growth/${chunks}/`;
      const result = await runPipelineLocally(dedupPipeline(prefix, folder, 'auto'), env.services);
      expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
      expect(tasksOf(result, 'src')).toBe(chunks);

      const reduceTasks = tasksOf(result, 'dedup') ?? 0;
      tasks.set(chunks, reduceTasks);
      const shuffled = await shuffleSummary(env, result.runId, 'dedup');
      expect(shuffled.moduli, `${chunks} chunks`).toStrictEqual([[chunks]]);
      // Enough tasks for about one chunk size of shuffled Parquet each, capped by the modulus.
      expect(reduceTasks, `${chunks} chunks`).toBeGreaterThanOrEqual(
        Math.min(chunks, Math.ceil(shuffled.bytes / ID_CHUNK_BYTES)),
      );
      const [{ n } = { n: -1 }] = await queryDataset(
        env,
        'lake',
        prefix,
        'SELECT count(*)::BIGINT AS n FROM dataset',
      );
      expect(Number(n), `${chunks} chunks: every id once`).toBe(chunks * ROWS_PER_CHUNK - 10);
    }
    expect(tasks.get(1)).toBe(1);
    expect(tasks.get(4)).toBeGreaterThan(1);
    expect(tasks.get(16)).toBeGreaterThan(tasks.get(4) ?? Number.POSITIVE_INFINITY);

    // A fixed count keeps today's behaviour: that many buckets whatever the input.
    const fixed = await runPipelineLocally(dedupPipeline('growth/fixed/', 'ids-16/', 4), env.services);
    expect(fixed.run.status, JSON.stringify(fixed.run.error)).toBe('success');
    expect(tasksOf(fixed, 'dedup')).toBe(4);
    expect((await shuffleSummary(env, fixed.runId, 'dedup')).moduli).toStrictEqual([[4]]);
  }, 480_000);
});
