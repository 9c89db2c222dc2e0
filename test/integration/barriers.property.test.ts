/**
 * Barrier transforms give exactly what DuckDB computes over the whole input,
 * however the input is chunked: the same random data run at 1, 7 and 64
 * chunks through dedup, aggregate, sort, union and join.
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
