/**
 * The birdstrikes example on real data: split into many chunks it gives
 * exactly the rows of a one-chunk run, and both equal the same computation
 * done directly in DuckDB on the source file.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson } from '../../shared/aws/s3-objects.ts';
import { runPipelineLocally } from '../../shared/runtime/run-local.ts';
import type { Pipeline } from '../../shared/spec/schema.ts';
import {
  loadExample,
  putLocalFile,
  queryDataset,
  queryDirectly,
  REPO_ROOT,
  startTestEnvironment,
  type TestEnvironment,
  withNodeConfig,
} from './harness.ts';

const SOURCE = join(REPO_ROOT, 'examples/birdstrikes/data/birdstrikes.csv');
const OUTPUT_COLUMNS = 'flight_date, year, airport, state, species, damage, cost_usd, cost_per_knot';

/** The example pipeline written as one DuckDB query over the source file. */
const DIRECT_QUERY = `
  WITH source AS (
    SELECT * FROM read_csv('${SOURCE}', types = {'Flight Date': 'DATE'})
  ), cleaned AS (
    SELECT
      "Flight Date",
      nullif_token(trim("Airport Name", ' \t\r\n')) AS airport,
      upper(nullif_token(trim("Origin State", ' \t\r\n'))) AS state,
      nullif_token(trim("Wildlife Species", ' \t\r\n')) AS species,
      nullif_token(trim("Effect Amount of damage", ' \t\r\n')) AS damage,
      "Cost Total $",
      "Speed IAS in knots"
    FROM source
    WHERE "Cost Total $" >= 1
  )
  SELECT "Flight Date" AS flight_date, year("Flight Date") AS year, airport, state, species, damage,
         "Cost Total $" AS cost_usd, round("Cost Total $" / nullif("Speed IAS in knots", 0), 2) AS cost_per_knot
  FROM cleaned`;

const NULL_TOKEN_MACRO = `CREATE MACRO nullif_token(v) AS CASE WHEN v IN ('', 'N/A', 'Unknown') THEN NULL ELSE v END`;

function runWithChunkSize(pipeline: Pipeline, chunkSizeBytes: number, prefix: string): Pipeline {
  return withNodeConfig(
    { ...pipeline, execution: { ...pipeline.execution, chunk_size_bytes: chunkSizeBytes } },
    'curated',
    {
      prefix: `birdstrikes/${prefix}`,
    },
  );
}

describe('a chunked run of the birdstrikes example', () => {
  let env: TestEnvironment;
  let example: Pipeline;

  beforeAll(async () => {
    env = await startTestEnvironment();
    await putLocalFile(env, SOURCE, 'examples', 'birdstrikes/birdstrikes.csv');
    example = await loadExample('birdstrikes');
  });
  afterAll(() => env.close());

  it('gets exactly the rows of a one-chunk run and of DuckDB on the source file', async () => {
    const chunked = await runPipelineLocally(runWithChunkSize(example, 128 * 1024, 'chunked/'), env.services);
    const whole = await runPipelineLocally(
      runWithChunkSize(example, 64 * 1024 * 1024, 'whole/'),
      env.services,
    );

    expect(chunked.run.status).toBe('success');
    expect(whole.run.status).toBe('success');
    const extractorChunks = (run: typeof chunked) =>
      run.nodes.find((node) => node.nodeId === 'strikes')?.chunks;
    expect(extractorChunks(chunked)).toBeGreaterThanOrEqual(4);
    expect(extractorChunks(whole)).toBe(1);

    const ordered = `SELECT ${OUTPUT_COLUMNS} FROM dataset ORDER BY ALL`;
    const chunkedRows = await queryDataset(env, 'curated', 'birdstrikes/chunked/', ordered);
    const wholeRows = await queryDataset(env, 'curated', 'birdstrikes/whole/', ordered);
    const directRows = await queryDirectly(
      `${NULL_TOKEN_MACRO}; SELECT ${OUTPUT_COLUMNS} FROM (${DIRECT_QUERY}) ORDER BY ALL`,
    );

    expect(chunkedRows.length).toBeGreaterThan(100);
    expect(chunkedRows).toStrictEqual(wholeRows);
    expect(chunkedRows).toStrictEqual(directRows);
  });

  it('keeps every node balanced: rows in = rows out + rejected + filtered', async () => {
    const result = await runPipelineLocally(runWithChunkSize(example, 200 * 1024, 'balanced/'), env.services);

    expect(result.nodes.length).toBe(example.nodes.length);
    for (const node of result.nodes) {
      expect(node.status).toBe('success');
      expect(node.rowsIn).toBe(node.rowsOut + node.rowsRejected + node.rowsFiltered);
    }
    expect(result.nodes.find((node) => node.nodeId === 'strikes')?.rowsIn).toBe(10_000);
  });

  it('publishes each run once, with a manifest listing its files and rows', async () => {
    const result = await runPipelineLocally(runWithChunkSize(example, 256 * 1024, 'manifest/'), env.services);

    const manifest = (await getJson(
      env.services.s3,
      'curated',
      `birdstrikes/manifest/_manifests/${result.runId}.json`,
    )) as {
      rows: number;
      files: string[];
    };
    const loaded = result.nodes.find((node) => node.nodeId === 'curated');
    expect(manifest.rows).toBe(loaded?.rowsOut);
    const [count] = await queryDataset(
      env,
      'curated',
      'birdstrikes/manifest/',
      'SELECT count(*)::INTEGER AS n FROM dataset',
    );
    expect(count?.n).toBe(manifest.rows);
    expect(manifest.files.every((key) => key.startsWith('birdstrikes/manifest/year='))).toBe(true);
  });
});
