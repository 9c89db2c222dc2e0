/**
 * Barrier transforms give exactly what DuckDB computes over the whole input,
 * however the input is chunked: the same random data run at 1, 7 and 64
 * chunks through dedup, aggregate, sort, union and join, the join both
 * shuffled and broadcast (a small dimension file against each chunk).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipelineLocally } from '../../shared/runtime/run-local.ts';
import { type Pipeline, PipelineSchema } from '../../shared/spec/schema.ts';
import {
  putLocalFile,
  queryDataset,
  queryDirectly,
  startTestEnvironment,
  type TestEnvironment,
} from './harness.ts';
import { joinStrategyOf } from './join-strategy.ts';

// 7 x 64 x 9: fixed-width rows make 1, 7 and 64 chunks exact, each over the 1 KiB minimum chunk size.
const ROWS = 4032;
const HEADER = 'key,name,amount\n';

interface Row {
  readonly key: number;
  readonly name: string;
  readonly cents: number;
}

/** Every record is `kNN,xxxxx,DDDD.CC\n`: 18 bytes, so a chunk size in rows is a size in bytes. */
function toCsv(rows: readonly Row[]): string {
  const line = (row: Row) =>
    `k${String(row.key).padStart(2, '0')},${row.name},${String(Math.floor(row.cents / 100)).padStart(4, '0')}.${String(row.cents % 100).padStart(2, '0')}\n`;
  return HEADER + rows.map(line).join('');
}
const RECORD_BYTES = 18;

const rowArbitrary = fc.record({
  key: fc.integer({ min: 0, max: 15 }),
  name: fc.constantFrom('alpha', 'bravo', 'delta', 'gamma'),
  cents: fc.integer({ min: 0, max: 99_999 }),
});

function pipeline(chunkRows: number, prefix: string): Pipeline {
  const out = (id: string) => ({
    id: `out_${id}`,
    type: 'loader' as const,
    module: 's3-parquet',
    config: { bucket: 'lake', prefix: `${prefix}${id}/` },
  });
  return PipelineSchema.parse({
    name: 'barriers',
    nodes: [
      {
        id: 'src',
        type: 'extractor',
        module: 's3-csv',
        config: { bucket: 'raw', prefix: 'rows/', columns: { amount: 'DECIMAL(10,2)', key: 'VARCHAR' } },
      },
      { id: 'small', type: 'transformer', module: 'filter', config: { expression: 'amount < 300' } },
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
          group_by: ['name'],
          aggregates: [
            { name: 'n', function: 'count' },
            { name: 'total', function: 'sum', expression: 'amount' },
            { name: 'mean', function: 'avg', expression: 'amount' },
            { name: 'low', function: 'min', expression: 'amount' },
            { name: 'high', function: 'max', expression: 'amount' },
            { name: 'keys', function: 'count_distinct', expression: 'key' },
          ],
        },
      },
      {
        id: 'sort',
        type: 'transformer',
        module: 'sort',
        config: { by: [{ expression: 'amount', descending: true }] },
      },
      { id: 'union', type: 'transformer', module: 'union', config: { distinct: true } },
      {
        id: 'join',
        type: 'transformer',
        module: 'join',
        config: {
          type: 'left',
          // Pinned: this is the shuffle join's check (auto would broadcast so small an input).
          strategy: 'shuffle',
          on: [
            { left: 'key', right: 'key' },
            { left: 'name', right: 'name' },
          ],
        },
      },
      ...['dedup', 'aggregate', 'sort', 'union', 'join'].map(out),
    ],
    edges: [
      { source: 'src', target: 'dedup' },
      { source: 'src', target: 'aggregate' },
      { source: 'src', target: 'sort' },
      { source: 'src', target: 'union' },
      { source: 'src', target: 'small' },
      { source: 'small', target: 'union' },
      { source: 'src', target: 'join' },
      { source: 'small', target: 'join' },
      ...['dedup', 'aggregate', 'sort', 'union', 'join'].map((id) => ({ source: id, target: `out_${id}` })),
    ],
    execution: {
      chunk_size_bytes: Math.max(1024, chunkRows * RECORD_BYTES),
      shuffle_buckets: 5,
      max_concurrency: 16,
    },
  });
}

function oracle(source: string) {
  const src = `read_csv('${source}', types = {'amount': 'DECIMAL(10,2)', 'key': 'VARCHAR'})`;
  return {
    dedup: `SELECT * FROM (SELECT *, row_number() OVER () AS r FROM ${src})
            QUALIFY row_number() OVER (PARTITION BY key, name ORDER BY amount DESC NULLS LAST, r) = 1`,
    aggregate: `SELECT name, count(*) AS n, sum(amount) AS total, avg(amount) AS mean, min(amount) AS low,
                       max(amount) AS high, count(DISTINCT key) AS keys FROM ${src} GROUP BY name`,
    sort: `SELECT * FROM (SELECT *, row_number() OVER () AS r FROM ${src}) ORDER BY amount DESC NULLS LAST, r`,
    union: `SELECT DISTINCT * FROM (SELECT * FROM ${src} UNION ALL SELECT * FROM ${src} WHERE amount < 300)`,
    join: `SELECT l.key, l.name, l.amount, r.amount AS amount_right
           FROM ${src} AS l LEFT JOIN (SELECT * FROM ${src} WHERE amount < 300) AS r ON l.key = r.key AND l.name = r.name`,
  };
}

const COLUMNS = {
  dedup: 'key, name, amount',
  aggregate: 'name, n::BIGINT AS n, total, mean, low, high, keys::BIGINT AS keys',
  sort: 'key, name, amount',
  union: 'key, name, amount',
  join: 'key, name, amount, amount_right',
} as const;

describe('barrier transforms over random data', () => {
  let env: TestEnvironment;
  let round = 0;

  beforeAll(async () => {
    env = await startTestEnvironment();
  });
  afterAll(() => env.close());

  it('match DuckDB over the whole input at 1, 7 and 64 chunks', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(rowArbitrary, { minLength: ROWS, maxLength: ROWS }), async (rows) => {
        round++;
        const source = join(env.scratch, `rows-${round}.csv`);
        await writeFile(source, toCsv(rows));
        await putLocalFile(env, source, 'raw', 'rows/rows.csv');
        const expected = oracle(source);

        for (const chunks of [1, 7, 64]) {
          const prefix = `r${round}/c${chunks}/`;
          const result = await runPipelineLocally(pipeline(ROWS / chunks, prefix), env.services);

          expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
          expect(result.nodes.find((node) => node.nodeId === 'src')?.chunks).toBe(chunks);
          for (const name of ['dedup', 'aggregate', 'union', 'join'] as const) {
            const actual = await queryDataset(
              env,
              'lake',
              `${prefix}${name}/`,
              `SELECT ${COLUMNS[name]} FROM dataset ORDER BY ALL`,
            );
            const wanted = await queryDirectly(
              `SELECT ${COLUMNS[name]} FROM (${expected[name]}) ORDER BY ALL`,
            );
            expect(actual, `${name} at ${chunks} chunks`).toStrictEqual(wanted);
          }
          // A sort is judged in its order, not as a set.
          const sorted = await queryDataset(
            env,
            'lake',
            `${prefix}sort/`,
            `SELECT ${COLUMNS.sort} FROM dataset`,
          );
          const wantedOrder = await queryDirectly(`SELECT ${COLUMNS.sort} FROM (${expected.sort})`);
          expect(sorted, `sort at ${chunks} chunks`).toStrictEqual(wantedOrder);
        }
      }),
      // Each run is three pipeline runs: no shrinking, report the first counterexample as is.
      { numRuns: 1, endOnFailure: true },
    );
  }, 300_000);
});

/** The dimension: keys beyond 15 match no fact row, and missing keys leave fact rows unmatched. */
const dimensionArbitrary = fc.array(
  fc.record({
    key: fc.integer({ min: 4, max: 19 }),
    name: fc.constantFrom('north', 'south'),
    cents: fc.integer({ min: 0, max: 99_999 }),
  }),
  { minLength: 1, maxLength: 30 },
);

/**
 * Broadcast joins of the facts (`src`) with the dimension (`dim`): the
 * right input broadcast (left join, by `auto`) and the left (right join).
 * Inner joins broadcast as left joins do; their counters are checked in
 * join-counters.test.ts. Each costs one task per chunk, so two keep 64 chunks affordable.
 */
const BROADCAST_JOINS = {
  bleft: { type: 'left', strategy: 'auto', left: 'src', right: 'dim' },
  // A right join broadcasts its left input: the dimension goes first.
  bright: { type: 'right', strategy: 'broadcast', left: 'dim', right: 'src' },
} as const;
type BroadcastJoin = keyof typeof BROADCAST_JOINS;
const BROADCAST_NAMES = Object.keys(BROADCAST_JOINS) as BroadcastJoin[];
const TYPED_COLUMNS = { amount: 'DECIMAL(10,2)', key: 'VARCHAR' };

function broadcastPipeline(chunkRows: number, prefix: string): Pipeline {
  return PipelineSchema.parse({
    name: 'broadcast joins',
    nodes: [
      {
        id: 'src',
        type: 'extractor',
        module: 's3-csv',
        config: { bucket: 'raw', prefix: 'rows/', columns: TYPED_COLUMNS },
      },
      {
        id: 'dim',
        type: 'extractor',
        module: 's3-csv',
        config: { bucket: 'raw', prefix: 'dims/', columns: TYPED_COLUMNS },
      },
      ...BROADCAST_NAMES.map((id) => ({
        id,
        type: 'transformer' as const,
        module: 'join',
        config: {
          type: BROADCAST_JOINS[id].type,
          strategy: BROADCAST_JOINS[id].strategy,
          on: [{ left: 'key', right: 'key' }],
        },
      })),
      ...BROADCAST_NAMES.map((id) => ({
        id: `out_${id}`,
        type: 'loader' as const,
        module: 's3-parquet',
        config: { bucket: 'lake', prefix: `${prefix}${id}/` },
      })),
    ],
    edges: BROADCAST_NAMES.flatMap((id) => [
      { source: BROADCAST_JOINS[id].left, target: id },
      { source: BROADCAST_JOINS[id].right, target: id },
      { source: id, target: `out_${id}` },
    ]),
    execution: {
      chunk_size_bytes: Math.max(1024, chunkRows * RECORD_BYTES),
      shuffle_buckets: 5,
      max_concurrency: 16,
    },
  });
}

/** DuckDB's join over the whole files, in the columns the join node outputs (a shared key once). */
function broadcastOracle(source: string, dimension: string): Record<BroadcastJoin, string> {
  const read = (path: string) => `read_csv('${path}', types = {'amount': 'DECIMAL(10,2)', 'key': 'VARCHAR'})`;
  const joined = (type: string, left: string, right: string) =>
    `SELECT coalesce(l.key, r.key) AS key, l.name, l.amount, r.name AS name_right, r.amount AS amount_right
     FROM ${read(left)} AS l ${type} JOIN ${read(right)} AS r ON l.key = r.key`;
  return {
    bleft: joined('LEFT', source, dimension),
    bright: joined('RIGHT', dimension, source),
  };
}

describe('broadcast joins over random data', () => {
  let env: TestEnvironment;
  let round = 0;

  beforeAll(async () => {
    env = await startTestEnvironment();
  });
  afterAll(() => env.close());

  it('match DuckDB over the whole input at 1, 7 and 64 chunks, one task per chunk', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArbitrary, { minLength: ROWS, maxLength: ROWS }),
        dimensionArbitrary,
        async (rows, dimensionRows) => {
          round++;
          const source = join(env.scratch, `rows-${round}.csv`);
          const dimension = join(env.scratch, `dims-${round}.csv`);
          await writeFile(source, toCsv(rows));
          await writeFile(dimension, toCsv(dimensionRows));
          await putLocalFile(env, source, 'raw', 'rows/rows.csv');
          await putLocalFile(env, dimension, 'raw', 'dims/dims.csv');
          const expected = broadcastOracle(source, dimension);
          const columns = 'key, name, amount, name_right, amount_right';

          for (const chunks of [1, 7, 64]) {
            const prefix = `b${round}/c${chunks}/`;
            const result = await runPipelineLocally(broadcastPipeline(ROWS / chunks, prefix), env.services);

            expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
            for (const name of BROADCAST_NAMES) {
              const actual = await queryDataset(
                env,
                'lake',
                `${prefix}${name}/`,
                `SELECT ${columns} FROM dataset ORDER BY ALL`,
              );
              const wanted = await queryDirectly(`SELECT ${columns} FROM (${expected[name]}) ORDER BY ALL`);
              expect(actual, `${name} at ${chunks} chunks`).toStrictEqual(wanted);
              // It really broadcast: the plan says so, and one task per fact chunk plus the settle record.
              expect(await joinStrategyOf(env, result.runId, name), `${name} at ${chunks} chunks`).toBe(
                'broadcast',
              );
              expect(result.nodes.find((node) => node.nodeId === name)?.chunks, `${name} tasks`).toBe(
                chunks + 1,
              );
            }
          }
        },
      ),
      { numRuns: 1, endOnFailure: true },
    );
    // Measured about 3 minutes on a loaded 2-core machine (128 join tasks at 64 chunks).
  }, 480_000);
});
