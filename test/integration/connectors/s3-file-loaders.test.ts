import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listObjects } from '../../../shared/aws/s3-objects.ts';
import { runPipelineLocally } from '../../../shared/runtime/run-local.ts';
import type { Pipeline } from '../../../shared/spec/schema.ts';
import { putLocalFile, queryDirectly, startTestEnvironment, type TestEnvironment } from '../harness.ts';
import { downloadPrefix, invokeLoader, stageSourceChunk, testRun } from './outputs.ts';
import {
  type LoaderNode,
  WEATHER_SOURCE,
  WEATHER_TYPED_COLUMNS,
  weatherLoadPipeline,
} from './weather-loads.ts';

function copyPipeline(loaders: Record<string, LoaderNode>, failing = false): Pipeline {
  return weatherLoadPipeline('file loaders', BUCKET, loaders, failing);
}

const BUCKET = 'file-loaders';

/** Rows in the published files missing from the source, and source rows missing from them. */
async function difference(relation: string): Promise<{ extra: number; missing: number; rows: number }> {
  const source = `SELECT ${WEATHER_TYPED_COLUMNS} FROM read_csv('${WEATHER_SOURCE}')`;
  const published = `SELECT ${WEATHER_TYPED_COLUMNS} FROM ${relation}`;
  const [row] = await queryDirectly(`
    SELECT (SELECT count(*) FROM (${published} EXCEPT ALL ${source})) AS extra,
           (SELECT count(*) FROM (${source} EXCEPT ALL ${published})) AS missing,
           (SELECT count(*) FROM (${published})) AS rows`);
  return { extra: Number(row?.extra), missing: Number(row?.missing), rows: Number(row?.rows) };
}

describe('S3 file loaders', () => {
  let env: TestEnvironment;

  beforeAll(async () => {
    env = await startTestEnvironment();
    await putLocalFile(env, WEATHER_SOURCE, BUCKET, 'source/weather.csv');
  });
  afterAll(() => env?.close());

  it('publish CSV and NDJSON equal to the source, one file per chunk, with a manifest', async () => {
    const result = await runPipelineLocally(
      copyPipeline({
        csv: { module: 's3-csv-load', bucket: BUCKET, prefix: 'out/csv/' },
        json: { module: 's3-json-load', bucket: BUCKET, prefix: 'out/json/' },
      }),
      env.services,
    );

    expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
    const chunks = result.nodes.find((node) => node.nodeId === 'src')?.chunks ?? 0;
    expect(chunks).toBeGreaterThanOrEqual(3);
    const csv = await downloadPrefix(env, BUCKET, 'out/csv/');
    const json = await downloadPrefix(env, BUCKET, 'out/json/');
    expect(csv.keys.filter((key) => key.endsWith('.csv'))).toHaveLength(chunks);
    expect(csv.keys).toContain(`_manifests/${result.run.runId}.json`);
    expect(await difference(`read_csv('${csv.folder}/*.csv')`)).toStrictEqual({
      extra: 0,
      missing: 0,
      rows: 2922,
    });
    expect(await difference(`read_ndjson('${json.folder}/*.json')`)).toStrictEqual({
      extra: 0,
      missing: 0,
      rows: 2922,
    });
  });

  it('writes gzip Hive partitions with a chosen delimiter', async () => {
    const result = await runPipelineLocally(
      copyPipeline({
        csv: {
          module: 's3-csv-load',
          bucket: BUCKET,
          prefix: 'out/parts/',
          partition_by: ['weather'],
          compression: 'gzip',
          delimiter: ';',
        },
      }),
      env.services,
    );

    expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
    const { folder, keys } = await downloadPrefix(env, BUCKET, 'out/parts/');
    const partitions = new Set(keys.filter((key) => key.endsWith('.csv.gz')).map((key) => key.split('/')[0]));
    expect([...partitions].sort()).toStrictEqual([
      'weather=drizzle',
      'weather=fog',
      'weather=rain',
      'weather=snow',
      'weather=sun',
    ]);
    expect(
      await difference(`read_csv('${folder}/*/*.csv.gz', delim = ';', hive_partitioning = true)`),
    ).toStrictEqual({ extra: 0, missing: 0, rows: 2922 });
  });

  it('publishes nothing when the run fails before Finalize', async () => {
    const result = await runPipelineLocally(
      copyPipeline(
        {
          csv: { module: 's3-csv-load', bucket: BUCKET, prefix: 'out/failed-csv/' },
          json: { module: 's3-json-load', bucket: BUCKET, prefix: 'out/failed-json/' },
        },
        true,
      ),
      env.services,
    );

    expect(result.run.status).toBe('failed');
    expect(result.run.error?.nodeId).toBe('check');
    expect(await listObjects(env.services.s3, BUCKET, 'out/failed-')).toStrictEqual([]);
  });

  it('leaves one copy when a chunk is loaded twice and the commit runs twice', async () => {
    const run = testRun('retried-file-load');
    const chunk = await stageSourceChunk(
      env,
      run,
      0,
      'SELECT range AS id, range * 2 AS twice FROM range(1000)',
    );
    for (const [module, prefix] of [
      ['s3-csv-load', 'out/retried-csv/'],
      ['s3-json-load', 'out/retried-json/'],
    ] as const) {
      const node = { id: 'dest', module, config: JSON.stringify({ bucket: BUCKET, prefix }) };

      await invokeLoader(module, { action: 'load', run, node, chunk });
      await invokeLoader(module, { action: 'load', run, node, chunk });
      const first = await invokeLoader(module, { action: 'commit', run, node, maxRejectRatio: 1 });
      const again = await invokeLoader(module, { action: 'commit', run, node, maxRejectRatio: 1 });

      expect(first.Payload).toMatchObject({ rows: 1000, files: 1 });
      expect(again.Payload).toMatchObject({ rows: 1000, files: 1 });
      const { folder } = await downloadPrefix(env, BUCKET, prefix);
      const reader = module === 's3-csv-load' ? 'read_csv' : 'read_ndjson';
      const [row] = await queryDirectly(
        `SELECT count(*) AS n, count(DISTINCT id) AS ids, sum(twice) AS total FROM ${reader}('${folder}/*.${module === 's3-csv-load' ? 'csv' : 'json'}')`,
      );
      expect({ n: Number(row?.n), ids: Number(row?.ids), total: Number(row?.total) }).toStrictEqual({
        n: 1000,
        ids: 1000,
        total: 999_000,
      });
    }
  });
});
