/**
 * validate's `unique` on real data: movies.json (24 titles appear twice, one
 * title is NULL) read as one chunk and as several. Kept rows, rejects and the
 * quality report equal DuckDB's over the whole file, the counters add up and
 * lineage still traces Title through the validate node.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejectsPrefix } from '../../shared/chunks/ref.ts';
import { renderTrace, traceFromEnds } from '../../shared/cli/commands/lineage.ts';
import { sqlString } from '../../shared/duckdb/sql.ts';
import { handlerDeps } from '../../shared/lambda/deps.ts';
import { lineageStoreFor } from '../../shared/lineage/record.ts';
import { readQuality } from '../../shared/quality/run-quality.ts';
import { LOCAL_STAGING_BUCKET } from '../../shared/runtime/local-services.ts';
import { runPipelineLocally } from '../../shared/runtime/run-local.ts';
import { type Pipeline, PipelineSchema } from '../../shared/spec/schema.ts';
import {
  putLocalFile,
  queryDataset,
  queryDirectly,
  SHARED_DATA,
  startTestEnvironment,
  type TestEnvironment,
} from './harness.ts';

const MOVIES = join(SHARED_DATA, 'movies.json');
// Some titles are JSON numbers: read as text, as DuckDB's ->> '$' gives them.
const TITLE = `"Title" ->> '$'`;
const SOURCE = `(SELECT * REPLACE (${TITLE} AS "Title") FROM read_json(${sqlString(MOVIES)}))`;

function pipeline(chunkSizeBytes: number, prefix: string): Pipeline {
  return PipelineSchema.parse({
    name: 'unique titles',
    nodes: [
      {
        id: 'src',
        type: 'extractor',
        module: 's3-json',
        config: { bucket: 'raw', prefix: 'movies/', columns: { Title: 'VARCHAR' } },
      },
      {
        id: 'check',
        type: 'transformer',
        module: 'validate',
        config: {
          rules: [
            { column: 'Title', check: 'unique' },
            // Shares Title with the rule above, so one shuffle by Title serves both.
            { column: ['Title', 'Release Date'], check: 'unique', severity: 'warn', name: 'release' },
            { column: 'Release Date', check: 'not_null', severity: 'warn' },
          ],
        },
      },
      { id: 'out', type: 'loader', module: 's3-parquet', config: { bucket: 'lake', prefix } },
    ],
    edges: [
      { source: 'src', target: 'check' },
      { source: 'check', target: 'out' },
    ],
    execution: { chunk_size_bytes: chunkSizeBytes, max_reject_ratio: 0.5 },
  });
}

describe('validate unique over movies.json', () => {
  let env: TestEnvironment;

  beforeAll(async () => {
    env = await startTestEnvironment();
    // As newline-delimited JSON, the extractor can split the file into chunks.
    const movies = JSON.parse(await readFile(MOVIES, 'utf8')) as unknown[];
    const ndjson = join(env.scratch, 'movies.ndjson');
    await writeFile(ndjson, movies.map((movie) => JSON.stringify(movie)).join('\n'));
    await putLocalFile(env, ndjson, 'raw', 'movies/movies.ndjson');
  });
  afterAll(() => env.close());

  it.each([
    ['one chunk', 64 * 1024 * 1024],
    ['several chunks', 200 * 1024],
  ])('rejects every row of a duplicated title, as DuckDB finds them, in %s', async (_label, chunkSize) => {
    const prefix = `movies-${chunkSize}/`;
    const result = await runPipelineLocally(pipeline(chunkSize, prefix), env.services);

    expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
    const byId = new Map(result.nodes.map((node) => [node.nodeId, node]));
    const chunks = byId.get('src')?.chunks ?? 0;
    expect(chunkSize > 1024 * 1024 ? chunks === 1 : chunks > 3, `${chunks} chunks`).toBe(true);
    for (const node of result.nodes)
      expect(node.rowsIn, node.nodeId).toBe(node.rowsOut + node.rowsRejected + node.rowsFiltered);

    const duplicated = await queryDirectly(
      `SELECT "Title" AS title, count(*)::INTEGER AS n FROM ${SOURCE} WHERE "Title" IS NOT NULL
       GROUP BY ALL HAVING count(*) > 1 ORDER BY title`,
    );
    const dupRows = duplicated.reduce((sum, row) => sum + Number(row.n), 0);
    expect(dupRows).toBe(48);
    expect(byId.get('check')).toMatchObject({ rowsIn: 3201, rowsOut: 3201 - dupRows, rowsRejected: dupRows });

    const kept = await queryDataset(
      env,
      'lake',
      prefix,
      'SELECT "Title", "Release Date" FROM dataset ORDER BY ALL',
    );
    const wanted = await queryDirectly(
      `SELECT "Title", "Release Date" FROM ${SOURCE}
       QUALIFY "Title" IS NULL OR count(*) OVER (PARTITION BY "Title") = 1 ORDER BY ALL`,
    );
    expect(kept).toStrictEqual(wanted);

    const rejects = await queryDataset(
      env,
      LOCAL_STAGING_BUCKET,
      rejectsPrefix(result.runId, 'check'),
      `SELECT json_extract_string(raw, '$.Title') AS title, count(*)::INTEGER AS n, min(error_type) AS error_type,
              min(reason) AS reason, bool_and(source LIKE '%/check chunk %' AND record >= 1) AS located
       FROM dataset GROUP BY ALL ORDER BY title`,
    );
    expect(rejects.map(({ title, n }) => ({ title, n }))).toStrictEqual(duplicated);
    expect(rejects[0]).toMatchObject({
      error_type: 'validate:unique:Title',
      reason: `rule "unique:Title" (unique) failed on column "Title": value ${duplicated[0]?.title} appears 2 times in the input`,
      located: true,
    });

    const [failed] = await queryDirectly(
      `SELECT count(*) FILTER (WHERE "Title" IS NOT NULL AND "Release Date" IS NOT NULL AND n > 1)::INTEGER AS release,
              count(*) FILTER (WHERE "Release Date" IS NULL)::INTEGER AS no_date
       FROM (SELECT *, count(*) OVER (PARTITION BY "Title", "Release Date") AS n FROM ${SOURCE})`,
    );
    const report = (await readQuality(env.services.s3, LOCAL_STAGING_BUCKET, result.runId, ['check'])).get(
      'check',
    );
    expect(report?.map(({ rule, checked, failed }) => ({ rule, checked, failed }))).toStrictEqual([
      { rule: 'unique:Title', checked: 3201, failed: dupRows },
      { rule: 'release', checked: 3201, failed: failed?.release },
      { rule: 'not_null:Release Date', checked: 3201, failed: failed?.no_date },
    ]);
    expect(report?.[0]?.examples).toStrictEqual(duplicated.slice(0, 3).map((row) => row.title));

    const lineage = await lineageStoreFor(handlerDeps()).list(result.runId);
    const [trace] = traceFromEnds(lineage, 'Title');
    expect(renderTrace(trace as NonNullable<typeof trace>)).toBe(
      [
        'out.Title  (s3-parquet, direct)',
        '└─ check.Title  (validate, filtered)',
        '   └─ src.Title  (s3-json, source)',
        'sources: src.Title',
      ].join('\n'),
    );
  });
});
