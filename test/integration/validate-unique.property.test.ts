/**
 * validate with `unique` rules gives what DuckDB computes over the whole
 * input, however the input is chunked: the same random data run at 1, 7 and
 * 64 chunks (fused, and once unfused) keeps and rejects the same rows, each
 * reject located at its source row, with the same quality report, and the
 * counters add up.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejectsPrefix } from '../../shared/chunks/ref.ts';
import { readQuality } from '../../shared/quality/run-quality.ts';
import { LOCAL_STAGING_BUCKET } from '../../shared/runtime/local-services.ts';
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
const RECORD_BYTES = 18;
// Fixed-width stand-ins for NULL, so every record keeps its 18 bytes.
const NULLS = ['k--', '-----', '----.--'];

interface Row {
  readonly key: number | null;
  readonly name: string | null;
  readonly cents: number | null;
}

/** Every record is `kNN,xxxxx,DDDD.CC\n`. */
function toCsv(rows: readonly Row[]): string {
  const amount = (cents: number) =>
    `${String(Math.floor(cents / 100)).padStart(4, '0')}.${String(cents % 100).padStart(2, '0')}`;
  const line = (row: Row) =>
    `${row.key === null ? NULLS[0] : `k${String(row.key).padStart(2, '0')}`},${row.name ?? NULLS[1]},${row.cents === null ? NULLS[2] : amount(row.cents)}\n`;
  return HEADER + rows.map(line).join('');
}

// About 4,000 rows over 5,000 amounts: many amounts repeat, fewer (name, amount) pairs do.
const rowArbitrary = fc.record({
  key: fc.option(fc.integer({ min: 0, max: 15 }), { freq: 10 }),
  name: fc.option(fc.constantFrom('alpha', 'bravo', 'delta', 'gamma'), { freq: 8 }),
  cents: fc.option(fc.integer({ min: 0, max: 4_999 }), { freq: 12 }),
});

const RULES = [
  { column: ['name', 'amount'], check: 'unique', name: 'pair' },
  { column: 'amount', check: 'unique', severity: 'warn' },
  { column: 'amount', check: 'range', max: 45, name: 'cap' },
  { column: 'key', check: 'not_null', severity: 'warn' },
];

function pipeline(chunkRows: number, prefix: string, fuse: boolean): Pipeline {
  return PipelineSchema.parse({
    name: 'unique',
    nodes: [
      {
        id: 'src',
        type: 'extractor',
        module: 's3-csv',
        config: {
          bucket: 'raw',
          prefix: 'rows/',
          columns: { amount: 'DECIMAL(10,2)', key: 'VARCHAR', name: 'VARCHAR' },
          null_strings: NULLS,
        },
      },
      { id: 'check', type: 'transformer', module: 'validate', config: { rules: RULES } },
      { id: 'out', type: 'loader', module: 's3-parquet', config: { bucket: 'lake', prefix } },
    ],
    edges: [
      { source: 'src', target: 'check' },
      { source: 'check', target: 'out' },
    ],
    execution: {
      chunk_size_bytes: Math.max(1024, chunkRows * RECORD_BYTES),
      shuffle_buckets: 5,
      max_concurrency: 16,
      fuse,
      max_reject_ratio: 1,
    },
  });
}

/** Each row with its 1-based place in the file and whether it passes each rule, over the whole input. */
function oracle(source: string): string {
  const src = `read_csv('${source}', types = {'amount': 'DECIMAL(10,2)', 'key': 'VARCHAR', 'name': 'VARCHAR'},
                        nullstr = ['k--', '-----', '----.--'])`;
  return `SELECT *, (name IS NULL OR amount IS NULL OR n_pair = 1) AS pass_pair,
                 (amount IS NULL OR n_amount = 1) AS pass_amount,
                 (amount IS NULL OR amount <= 45) AS pass_cap, (key IS NOT NULL) AS pass_key
          FROM (SELECT *, count(*) OVER (PARTITION BY name, amount) AS n_pair,
                       count(*) OVER (PARTITION BY amount) AS n_amount
                FROM (SELECT *, row_number() OVER () AS line FROM ${src}))`;
}

/** The quality report as DuckDB computes it over the whole input (examples: the smallest failing values). */
function oracleQuality(rows: string): string {
  const rule = (name: string, pass: string, value: string, distinct: boolean) =>
    `SELECT ${name === 'pair' ? 1 : name === 'unique:amount' ? 2 : name === 'cap' ? 3 : 4} AS i, '${name}' AS rule,
            count(*)::INTEGER AS checked, count(*) FILTER (WHERE ${pass})::INTEGER AS passed,
            count(*) FILTER (WHERE NOT ${pass})::INTEGER AS failed,
            coalesce(min(${distinct ? 'DISTINCT ' : ''}${value}, 3) FILTER (WHERE NOT ${pass}), []) AS examples
     FROM (${rows})`;
  return [
    rule('pair', 'pass_pair', 'CAST(row(name, amount) AS VARCHAR)', true),
    rule('unique:amount', 'pass_amount', 'CAST(amount AS VARCHAR)', true),
    rule('cap', 'pass_cap', 'CAST(amount AS VARCHAR)', false),
    rule('not_null:key', 'pass_key', 'CAST(key AS VARCHAR)', false),
  ]
    .join(' UNION ALL ')
    .concat(' ORDER BY i');
}

describe('validate unique over random data', () => {
  let env: TestEnvironment;
  let round = 0;

  beforeAll(async () => {
    env = await startTestEnvironment();
  });
  afterAll(() => env.close());

  it('matches DuckDB over the whole input at 1, 7 and 64 chunks', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(rowArbitrary, { minLength: ROWS, maxLength: ROWS }), async (rows) => {
        round++;
        const source = join(env.scratch, `unique-${round}.csv`);
        await writeFile(source, toCsv(rows));
        await putLocalFile(env, source, 'raw', 'rows/rows.csv');
        const expected = oracle(source);
        const kept = await queryDirectly(
          `SELECT key, name, amount FROM (${expected}) WHERE pass_pair AND pass_cap ORDER BY ALL`,
        );
        const rejected = await queryDirectly(
          `SELECT line, CASE WHEN NOT pass_pair THEN 'validate:pair' ELSE 'validate:cap' END AS error_type,
                  key, name, amount
           FROM (${expected}) WHERE NOT (pass_pair AND pass_cap) ORDER BY line`,
        );
        const quality = await queryDirectly(oracleQuality(expected));
        expect(rejected.length, 'the data has duplicates to find').toBeGreaterThan(100);

        const runs: [number, boolean][] = [
          [1, true],
          [7, true],
          [64, true],
          [7, false],
        ];
        for (const [chunks, fuse] of runs) {
          const label = `${chunks} chunks${fuse ? '' : ', unfused'}`;
          const chunkRows = ROWS / chunks;
          const prefix = `r${round}/c${chunks}-${fuse}/`;
          const result = await runPipelineLocally(pipeline(chunkRows, prefix, fuse), env.services);

          expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
          const byId = new Map(result.nodes.map((node) => [node.nodeId, node]));
          expect(byId.get('src')?.chunks, label).toBe(chunks);
          for (const node of result.nodes)
            expect(node.rowsIn, `${node.nodeId} at ${label}`).toBe(
              node.rowsOut + node.rowsRejected + node.rowsFiltered,
            );
          expect(byId.get('check'), label).toMatchObject({
            rowsIn: ROWS,
            rowsRejected: rejected.length,
            rowsFiltered: 0,
          });

          const output = await queryDataset(
            env,
            'lake',
            prefix,
            'SELECT key, name, amount FROM dataset ORDER BY ALL',
          );
          expect(output, `output at ${label}`).toStrictEqual(kept);

          // A reject's source names its upstream chunk, its record the row there: chunks are exact, so that is its line.
          const quarantined = await queryDataset(
            env,
            LOCAL_STAGING_BUCKET,
            rejectsPrefix(result.runId, 'check'),
            `SELECT CAST(split_part(source, ' chunk ', 2) AS BIGINT) * ${chunkRows} + record AS line, error_type,
                    json_extract_string(raw, '$.key') AS key, json_extract_string(raw, '$.name') AS name,
                    CAST(json_extract_string(raw, '$.amount') AS DECIMAL(10,2)) AS amount
             FROM dataset ORDER BY line`,
          );
          expect(quarantined, `rejects at ${label}`).toStrictEqual(rejected);

          const report = (
            await readQuality(env.services.s3, LOCAL_STAGING_BUCKET, result.runId, ['check'])
          ).get('check');
          expect(
            report?.map(({ rule, checked, passed, failed, examples }) => ({
              rule,
              checked,
              passed,
              failed,
              examples,
            })),
            `quality at ${label}`,
          ).toStrictEqual(quality.map(({ i: _i, ...totals }) => totals));
        }
      }),
      // Each run is four pipeline runs: no shrinking, report the first counterexample as is.
      { numRuns: 1, endOnFailure: true },
    );
  }, 600_000);
});
