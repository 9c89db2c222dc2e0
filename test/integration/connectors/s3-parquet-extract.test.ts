/**
 * The `s3-parquet-extract` extractor on real data (42,049 US zip codes,
 * written as Parquet with small row groups): planned from the footers into
 * chunks of whole row groups, it yields exactly the rows DuckDB reads from
 * the original CSV, across two files.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipelineLocally } from '../../../shared/runtime/run-local.ts';
import { PipelineSchema } from '../../../shared/spec/schema.ts';
import {
  putLocalFile,
  queryDataset,
  queryDirectly,
  SHARED_DATA,
  startTestEnvironment,
  type TestEnvironment,
} from '../harness.ts';

const SOURCE = join(SHARED_DATA, 'zipcodes.csv');
const BUCKET = 'parquet-source';
const READ_SOURCE = `read_csv('${SOURCE}', types = {'zip_code': 'VARCHAR'})`;

describe('s3-parquet-extract', () => {
  let env: TestEnvironment;

  beforeAll(async () => {
    env = await startTestEnvironment();
    // Two files, 2,000-row groups: the first holds the zips below 50000, the second the rest.
    for (const [name, where] of [
      ['low', "zip_code < '50000'"],
      ['high', "zip_code >= '50000'"],
    ] as const) {
      const path = join(env.scratch, `${name}.parquet`);
      await queryDirectly(
        `COPY (SELECT * FROM ${READ_SOURCE} WHERE ${where}) TO '${path}' (FORMAT parquet, ROW_GROUP_SIZE 2000)`,
      );
      await putLocalFile(env, path, BUCKET, `zips/${name}.parquet`);
    }
  });
  afterAll(() => env?.close());

  it('reads whole row groups per chunk and yields exactly the source rows', async () => {
    const result = await runPipelineLocally(
      PipelineSchema.parse({
        name: 'parquet rows',
        nodes: [
          {
            id: 'src',
            type: 'extractor',
            module: 's3-parquet-extract',
            config: { bucket: BUCKET, prefix: 'zips/' },
          },
          { id: 'out', type: 'loader', module: 's3-parquet', config: { bucket: BUCKET, prefix: 'copied/' } },
        ],
        edges: [{ source: 'src', target: 'out' }],
        execution: { chunk_size_bytes: 64 * 1024, max_concurrency: 2 },
      }),
      env.services,
    );

    expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
    const chunks = result.nodes.find((node) => node.nodeId === 'src')?.chunks ?? 0;
    expect(chunks).toBeGreaterThanOrEqual(4);
    const copied = await queryDataset(env, BUCKET, 'copied/', 'SELECT * FROM dataset ORDER BY ALL');
    const source = await queryDirectly(`SELECT * FROM ${READ_SOURCE} ORDER BY ALL`);
    expect(copied).toHaveLength(42_049);
    expect(copied).toStrictEqual(source);
  });
});
