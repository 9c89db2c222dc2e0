/**
 * validate -> normalize -> sql over movies.json on the local runtime: numeric
 * titles become strings, every release date parses or is quarantined with a
 * reason, the quality reports add up, and the counters add up at every node.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, listObjects } from '../../shared/aws/s3-objects.ts';
import { rejectsPrefix } from '../../shared/chunks/ref.ts';
import { LOCAL_STAGING_BUCKET } from '../../shared/runtime/local-services.ts';
import { runPipelineLocally } from '../../shared/runtime/run-local.ts';
import { PipelineSchema } from '../../shared/spec/schema.ts';
import {
  putLocalFile,
  queryDataset,
  queryDirectly,
  SHARED_DATA,
  startTestEnvironment,
  type TestEnvironment,
} from './harness.ts';

const pipeline = PipelineSchema.parse({
  name: 'movies quality',
  nodes: [
    { id: 'src', type: 'extractor', module: 's3-json', config: { bucket: 'raw', prefix: 'movies/' } },
    {
      id: 'check',
      type: 'transformer',
      module: 'validate',
      config: {
        rules: [
          { column: 'Release Date', check: 'not_null' },
          {
            column: 'MPAA Rating',
            check: 'in_set',
            values: ['G', 'PG', 'PG-13', 'R', 'NC-17'],
            severity: 'warn',
          },
          { column: 'IMDB Rating', check: 'range', min: 0, max: 10, severity: 'fail' },
        ],
      },
    },
    {
      id: 'tidy',
      type: 'transformer',
      module: 'normalize',
      config: {
        operations: [
          { column: 'Title', op: 'whitespace' },
          { column: 'Title', op: 'nfc' },
          // Dates such as "Jun 12 1998"; one in any other form is quarantined with its value.
          { column: 'Release Date', op: 'date', formats: ['%b %d %Y'], onInvalid: 'reject' },
        ],
      },
    },
    {
      id: 'recent',
      type: 'transformer',
      module: 'sql',
      config: {
        query:
          'SELECT Title, "Release Date", "US Gross" FROM input WHERE "Release Date" >= DATE \'1990-01-01\'',
      },
    },
    { id: 'out', type: 'loader', module: 's3-parquet', config: { bucket: 'lake', prefix: 'movies/' } },
  ],
  edges: [
    { source: 'src', target: 'check' },
    { source: 'check', target: 'tidy' },
    { source: 'tidy', target: 'recent' },
    { source: 'recent', target: 'out' },
  ],
});

interface Report {
  rows: number;
  rules: { rule: string; checked: number; passed: number; failed: number }[];
}

describe('validate, normalize and sql over movies.json', () => {
  let env: TestEnvironment;
  let moviesPath: string;

  beforeAll(async () => {
    env = await startTestEnvironment();
    // Two real release dates rewritten into forms the pipeline does not accept, so quarantine is exercised.
    const movies = JSON.parse(await readFile(join(SHARED_DATA, 'movies.json'), 'utf8')) as Record<
      string,
      unknown
    >[];
    for (const index of [10, 2000])
      movies[index] = { ...movies[index], 'Release Date': `summer of ${1990 + index}` };
    moviesPath = join(env.scratch, 'movies.json');
    await writeFile(moviesPath, JSON.stringify(movies));
    await putLocalFile(env, moviesPath, 'raw', 'movies/movies.json');
  });
  afterAll(() => env.close());

  it('normalizes titles and dates, quarantines with reasons and adds up', async () => {
    const result = await runPipelineLocally(pipeline, env.services);

    expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
    for (const node of result.nodes) {
      expect(node.rowsIn, node.nodeId).toBe(node.rowsOut + node.rowsRejected + node.rowsFiltered);
    }
    const byId = new Map(result.nodes.map((node) => [node.nodeId, node]));
    expect(byId.get('src')?.rowsOut).toBe(3201);
    expect(byId.get('check')?.rowsRejected).toBe(0);

    const [output] = await queryDataset(
      env,
      'lake',
      'movies/',
      `SELECT count(*)::INTEGER AS n, count(*) FILTER (WHERE Title = '300')::INTEGER AS numeric_title,
              count(*) FILTER (WHERE "Release Date" IS NULL)::INTEGER AS no_date,
              any_value(typeof(Title)) AS title_type, any_value(typeof("Release Date")) AS date_type FROM dataset`,
    );
    expect(output).toMatchObject({ numeric_title: 1, no_date: 0, title_type: 'VARCHAR', date_type: 'DATE' });
    expect(output?.n).toBe(byId.get('recent')?.rowsOut);

    const [oracle] = await queryDirectly(
      `SELECT count(*) FILTER (WHERE try_strptime(trim("Release Date"), '%b %d %Y') IS NULL)::INTEGER AS bad
       FROM read_json('${moviesPath}')`,
    );
    const tidy = byId.get('tidy');
    expect(oracle?.bad).toBe(2);
    expect(tidy?.rowsRejected).toBe(oracle?.bad);
    const [reasons] = await queryDataset(
      env,
      LOCAL_STAGING_BUCKET,
      rejectsPrefix(result.runId, 'tidy'),
      `SELECT count(*)::INTEGER AS n, count(*) FILTER (WHERE reason LIKE 'cannot normalize column "Release Date" as date: value %')::INTEGER AS with_reason FROM dataset`,
    );
    expect(reasons).toStrictEqual({ n: tidy?.rowsRejected, with_reason: tidy?.rowsRejected });

    const reports = await listObjects(
      env.services.s3,
      LOCAL_STAGING_BUCKET,
      `runs/${result.runId}/check/quality/`,
    );
    expect(reports.length).toBe(byId.get('check')?.chunks);
    let rows = 0;
    for (const object of reports) {
      const report = (await getJson(env.services.s3, LOCAL_STAGING_BUCKET, object.key)) as Report;
      rows += report.rows;
      for (const rule of report.rules) expect(rule.passed + rule.failed).toBe(rule.checked);
    }
    expect(rows).toBe(byId.get('check')?.rowsIn);
  });
});
