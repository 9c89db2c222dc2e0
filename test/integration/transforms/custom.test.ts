/** A user's TypeScript function (the title-case example) on the local runtime, over birdstrikes.csv in several chunks. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlString } from '../../../shared/duckdb/sql.ts';
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

const BIRDSTRIKES = join(SHARED_DATA, 'birdstrikes.csv');

const pipeline = PipelineSchema.parse({
  name: 'title case airports',
  nodes: [
    { id: 'src', type: 'extractor', module: 's3-csv', config: { bucket: 'raw', prefix: 'birds/' } },
    {
      id: 'cased',
      type: 'transformer',
      module: 'custom',
      config: {
        function: 'functions/transforms/custom/examples/title-case',
        options: { column: 'Airport Name' },
      },
    },
    { id: 'out', type: 'loader', module: 's3-parquet', config: { bucket: 'lake', prefix: 'birds/' } },
  ],
  edges: [
    { source: 'src', target: 'cased' },
    { source: 'cased', target: 'out' },
  ],
  execution: { chunk_size_bytes: 128 * 1024 },
});

describe('custom over real data in several chunks', () => {
  let env: TestEnvironment;

  beforeAll(async () => {
    env = await startTestEnvironment();
    await putLocalFile(env, BIRDSTRIKES, 'raw', 'birds/birdstrikes.csv');
  });
  afterAll(() => env.close());

  it('gives what DuckDB computes over the whole file', async () => {
    const result = await runPipelineLocally(pipeline, env.services);

    expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
    expect(result.nodes.find((node) => node.nodeId === 'cased')?.chunks).toBeGreaterThan(5);
    const columns = '"Airport Name", "Flight Date"::VARCHAR AS flown, "Cost Total $"::BIGINT AS cost';
    const actual = await queryDataset(env, 'lake', 'birds/', `SELECT ${columns} FROM dataset ORDER BY ALL`);
    const wanted = await queryDirectly(
      `SELECT ${columns} FROM (SELECT * REPLACE (array_to_string(list_transform(string_split(lower("Airport Name"), ' '),
         w -> upper(w[1]) || w[2:]), ' ') AS "Airport Name") FROM read_csv(${sqlString(BIRDSTRIKES)})) ORDER BY ALL`,
    );
    expect(actual).toHaveLength(10_000);
    expect(actual).toStrictEqual(wanted);
  });
});
