/**
 * Incremental `s3-csv` and `s3-json` by S3 last-modified watermark, on real
 * data (Seattle weather split into yearly files): the first run reads every
 * file, the next only files added since, a run with nothing new reads
 * nothing, and a failed run leaves the watermark where it was.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listObjects } from '../../../shared/aws/s3-objects.ts';
import { runPipelineLocally } from '../../../shared/runtime/run-local.ts';
import { type Pipeline, PipelineSchema } from '../../../shared/spec/schema.ts';
import { watermarkStoreFromEnv } from '../../../shared/store/watermark-store.ts';
import {
  putLocalFile,
  queryDataset,
  queryDirectly,
  SHARED_DATA,
  startTestEnvironment,
  type TestEnvironment,
} from '../harness.ts';

const SOURCE = join(SHARED_DATA, 'weather.csv');
const BUCKET = 'incremental-source';

let env: TestEnvironment;

/** Writes the source rows of one year as `<year>.<format>` and uploads it under `<format>/`. */
async function addYear(year: number, format: 'csv' | 'json'): Promise<void> {
  const path = join(env.scratch, `${year}.${format}`);
  const options = format === 'csv' ? '(FORMAT csv, HEADER true)' : '(FORMAT json)';
  await queryDirectly(
    `COPY (SELECT * FROM read_csv('${SOURCE}') WHERE year(date) = ${year}) TO '${path}' ${options}`,
  );
  await putLocalFile(env, path, BUCKET, `${format}/${year}.${format}`);
}

function pipeline(format: 'csv' | 'json', output: string, failing = false): Pipeline {
  const check = failing
    ? [
        {
          id: 'check',
          type: 'transformer',
          module: 'filter',
          config: { expression: "CAST('x' AS INTEGER) > 0" },
        },
      ]
    : [];
  return PipelineSchema.parse({
    id: `incremental-${format}`,
    name: `incremental ${format}`,
    nodes: [
      {
        id: 'src',
        type: 'extractor',
        module: `s3-${format}`,
        config: { bucket: BUCKET, prefix: `${format}/`, mode: 'incremental' },
      },
      ...check,
      { id: 'out', type: 'loader', module: 's3-parquet', config: { bucket: BUCKET, prefix: output } },
    ],
    edges: failing
      ? [
          { source: 'src', target: 'check' },
          { source: 'check', target: 'out' },
        ]
      : [{ source: 'src', target: 'out' }],
  });
}

async function years(prefix: string): Promise<Record<string, unknown>[]> {
  return queryDataset(
    env,
    BUCKET,
    prefix,
    'SELECT CAST(year(CAST(date AS DATE)) AS INTEGER) AS year, CAST(count(*) AS INTEGER) AS n FROM dataset GROUP BY 1 ORDER BY 1',
  );
}

beforeAll(async () => {
  env = await startTestEnvironment();
});
afterAll(() => env?.close());

describe.each(['csv', 'json'] as const)('incremental s3-%s', (format) => {
  it('reads every file first, then only new ones, nothing when nothing is new, and again after a failure', async () => {
    await addYear(2012, format);
    await addYear(2013, format);
    const first = await runPipelineLocally(pipeline(format, `${format}-out/1/`), env.services);
    const idle = await runPipelineLocally(pipeline(format, `${format}-out/2/`), env.services);
    await addYear(2014, format);
    const failed = await runPipelineLocally(pipeline(format, `${format}-out/3/`, true), env.services);
    const retried = await runPipelineLocally(pipeline(format, `${format}-out/4/`), env.services);

    for (const run of [first, idle, retried])
      expect(run.run.status, JSON.stringify(run.run.error)).toBe('success');
    expect(failed.run.status).toBe('failed');
    expect(await years(`${format}-out/1/`)).toStrictEqual([
      { year: 2012, n: 732 },
      { year: 2013, n: 730 },
    ]);
    expect(idle.nodes.find((node) => node.nodeId === 'src')?.chunks ?? 0).toBe(0);
    const idleFiles = await listObjects(env.services.s3, BUCKET, `${format}-out/2/`);
    expect(idleFiles.filter((object) => object.key.endsWith('.parquet'))).toStrictEqual([]);
    expect(await years(`${format}-out/4/`)).toStrictEqual([{ year: 2014, n: 730 }]);
    const saved = await watermarkStoreFromEnv().get(retried.run.pipelineId, 'src');
    expect(saved).toMatchObject({ column: '$s3_last_modified', runId: retried.run.runId });
    // The mark keeps every key read at its instant; LastModified has one-second
    // resolution, so the earlier years are among them when uploaded in the same second.
    const mark = JSON.parse(saved?.value ?? '{}') as { at: string; keys: string[] };
    const sources = await listObjects(env.services.s3, BUCKET, `${format}/`);
    const atMark = sources.filter((object) => object.lastModified?.toISOString() === mark.at);
    expect(mark.keys).toContain(`${format}/2014.${format}`);
    expect(mark.keys).toStrictEqual(atMark.map((object) => object.key).sort());
  });
});

describe('an incremental source with a watermark of another kind', () => {
  it('fails, telling how to reset it', async () => {
    const path = join(env.scratch, 'one.csv');
    await writeFile(path, 'a\n1\n');
    await putLocalFile(env, path, BUCKET, 'other/one.csv');
    const spec = PipelineSchema.parse({
      id: 'watermark-kind',
      name: 'watermark kind',
      nodes: [
        {
          id: 'src',
          type: 'extractor',
          module: 's3-csv',
          config: { bucket: BUCKET, prefix: 'other/', mode: 'incremental' },
        },
        { id: 'out', type: 'loader', module: 's3-parquet', config: { bucket: BUCKET, prefix: 'other-out/' } },
      ],
      edges: [{ source: 'src', target: 'out' }],
    });
    const store = watermarkStoreFromEnv();
    await store.stage({
      pipelineId: 'watermark-kind',
      nodeId: 'src',
      column: 'updated_at',
      type: 'TIMESTAMP',
      value: '2024-01-01 00:00:00',
      runId: '00000000000000000000000000',
      updatedAt: new Date().toISOString(),
    });
    await store.promote('00000000000000000000000000');

    const result = await runPipelineLocally(spec, env.services);

    expect(result.run.status).toBe('failed');
    expect(result.run.error?.message).toMatch(
      /is for column updated_at, not S3 last-modified times: reset it with `etl state reset/,
    );
  });
});
