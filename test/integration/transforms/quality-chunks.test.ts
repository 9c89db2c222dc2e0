/**
 * validate -> normalize -> sql over birdstrikes.csv read in one chunk and in
 * several: the output and the quarantine equal DuckDB's over the whole file,
 * and the per-chunk quality reports add up to the input.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, listObjects } from '../../../shared/aws/s3-objects.ts';
import { rejectsPrefix } from '../../../shared/chunks/ref.ts';
import { sqlString } from '../../../shared/duckdb/sql.ts';
import { LOCAL_STAGING_BUCKET } from '../../../shared/runtime/local-services.ts';
import { runPipelineLocally } from '../../../shared/runtime/run-local.ts';
import { type Pipeline, PipelineSchema } from '../../../shared/spec/schema.ts';
import {
  putLocalFile,
  queryDataset,
  queryDirectly,
  SHARED_DATA,
  startTestEnvironment,
  type TestEnvironment,
} from '../harness.ts';

const BIRDSTRIKES = join(SHARED_DATA, 'birdstrikes.csv');
// Dates and speeds arrive as text, for normalize to parse.
const TYPES = { 'Flight Date': 'VARCHAR', 'Speed IAS in knots': 'VARCHAR' };

function pipeline(chunkSizeBytes: number, prefix: string): Pipeline {
  return PipelineSchema.parse({
    name: 'birdstrikes quality',
    nodes: [
      {
        id: 'src',
        type: 'extractor',
        module: 's3-csv',
        config: { bucket: 'raw', prefix: 'birds/', columns: TYPES },
      },
      {
        id: 'check',
        type: 'transformer',
        module: 'validate',
        config: {
          rules: [
            { column: 'Origin State', check: 'not_null' },
            { column: 'Wildlife Size', check: 'in_set', values: ['Small', 'Medium'] },
            { column: 'Cost Total $', check: 'range', min: 1, severity: 'warn' },
          ],
        },
      },
      {
        id: 'tidy',
        type: 'transformer',
        module: 'normalize',
        config: {
          operations: [
            { column: 'Airport Name', op: 'whitespace' },
            { column: 'Flight Date', op: 'date', formats: ['%Y-%m-%d'], onInvalid: 'reject' },
            { column: 'Speed IAS in knots', op: 'number' },
          ],
        },
      },
      {
        id: 'shape',
        type: 'transformer',
        module: 'sql',
        config: {
          query: `SELECT "Airport Name" AS airport, "Origin State" AS state, "Flight Date" AS flown,
                  "Speed IAS in knots" AS speed, "Cost Total $" AS cost FROM input WHERE "Phase of flight" <> 'Parked'`,
        },
      },
      { id: 'out', type: 'loader', module: 's3-parquet', config: { bucket: 'lake', prefix } },
    ],
    edges: [
      { source: 'src', target: 'check' },
      { source: 'check', target: 'tidy' },
      { source: 'tidy', target: 'shape' },
      { source: 'shape', target: 'out' },
    ],
    execution: { chunk_size_bytes: chunkSizeBytes, max_reject_ratio: 0.2 },
  });
}

const SOURCE = `read_csv(${sqlString(BIRDSTRIKES)}, types = {'Flight Date': 'VARCHAR', 'Speed IAS in knots': 'VARCHAR'})`;
const KEPT = `"Origin State" IS NOT NULL AND ("Wildlife Size" IS NULL OR "Wildlife Size" IN ('Small', 'Medium'))`;
const ORACLE = `SELECT trim(regexp_replace("Airport Name", '\\s+', ' ', 'g')) AS airport, "Origin State" AS state,
                       CAST(strptime(trim("Flight Date"), '%Y-%m-%d') AS DATE) AS flown,
                       TRY_CAST("Speed IAS in knots" AS DOUBLE) AS speed, "Cost Total $" AS cost
                FROM ${SOURCE} WHERE ${KEPT} AND "Phase of flight" <> 'Parked'`;

interface Report {
  rows: number;
  rules: { rule: string; checked: number; passed: number; failed: number }[];
}

describe('validate, normalize and sql in several chunks', () => {
  let env: TestEnvironment;

  beforeAll(async () => {
    env = await startTestEnvironment();
    await putLocalFile(env, BIRDSTRIKES, 'raw', 'birds/birdstrikes.csv');
  });
  afterAll(() => env.close());

  it.each([
    ['one chunk', 64 * 1024 * 1024],
    ['several chunks', 96 * 1024],
  ])('match DuckDB over the whole file in %s', async (_label, chunkSize) => {
    const prefix = `birds-${chunkSize}/`;
    const result = await runPipelineLocally(pipeline(chunkSize, prefix), env.services);
    const byId = new Map(result.nodes.map((node) => [node.nodeId, node]));

    expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
    const chunks = byId.get('src')?.chunks ?? 0;
    expect(chunkSize > 1024 * 1024 ? chunks === 1 : chunks > 5, `${chunks} chunks`).toBe(true);
    const columns = 'airport, state, flown, speed, cost';
    const actual = await queryDataset(env, 'lake', prefix, `SELECT ${columns} FROM dataset ORDER BY ALL`);
    expect(actual).toStrictEqual(await queryDirectly(`SELECT ${columns} FROM (${ORACLE}) ORDER BY ALL`));

    const [oracle] = await queryDirectly(
      `SELECT count(*) FILTER (WHERE NOT (${KEPT}))::INTEGER AS rejected FROM ${SOURCE}`,
    );
    expect(byId.get('check')?.rowsRejected).toBe(oracle?.rejected);
    expect(byId.get('tidy')?.rowsRejected).toBe(0);
    const [quarantine] = await queryDataset(
      env,
      LOCAL_STAGING_BUCKET,
      rejectsPrefix(result.runId, 'check'),
      'SELECT count(*)::INTEGER AS n FROM dataset',
    );
    expect(quarantine?.n).toBe(oracle?.rejected);

    const reports = await listObjects(
      env.services.s3,
      LOCAL_STAGING_BUCKET,
      `runs/${result.runId}/check/quality/`,
    );
    expect(reports.length).toBe(chunks);
    let rows = 0;
    for (const object of reports)
      rows += ((await getJson(env.services.s3, LOCAL_STAGING_BUCKET, object.key)) as Report).rows;
    expect(rows).toBe(10_000);
  });
});
