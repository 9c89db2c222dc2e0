/**
 * The movies example on real JSON: nulls everywhere, titles that are
 * sometimes numbers, dates like `Jun 12 1998`, and a fork into two loaders.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRunResult, runPipelineLocally } from '../../shared/runtime/run-local.ts';
import {
  loadExample,
  putLocalFile,
  queryDataset,
  queryDirectly,
  REPO_ROOT,
  startTestEnvironment,
  type TestEnvironment,
} from './harness.ts';

const SOURCE = join(REPO_ROOT, 'examples/movies/data/movies.json');

describe('the movies example', () => {
  let env: TestEnvironment;
  let result: LocalRunResult;

  beforeAll(async () => {
    env = await startTestEnvironment();
    await putLocalFile(env, SOURCE, 'examples', 'movies/movies.json');
    result = await runPipelineLocally(await loadExample('movies'), env.services);
  });
  afterAll(() => env.close());

  it('writes both outputs of the fork with the rows DuckDB computes from the source', async () => {
    expect(result.run.status).toBe('success');
    const [expected] = await queryDirectly(`
      SELECT count(*)::INTEGER AS rated,
             count(*) FILTER (WHERE "Worldwide Gross" - "Production Budget" > 100000000)::INTEGER AS hits
      FROM read_json('${SOURCE}')
      WHERE "IMDB Rating" IS NOT NULL AND "Production Budget" > 0`);
    const [all] = await queryDataset(
      env,
      'curated',
      'movies/all/',
      'SELECT count(*)::INTEGER AS n FROM dataset',
    );
    const [hits] = await queryDataset(
      env,
      'curated',
      'movies/hits/',
      'SELECT count(*)::INTEGER AS n FROM dataset',
    );
    expect(all?.n).toBe(expected?.rated);
    expect(hits?.n).toBe(expected?.hits);
    expect(result.nodes.find((node) => node.nodeId === 'films')?.rowsIn).toBe(3_201);
  });

  it('keeps numeric titles as text and parses "Jun 12 1998" dates', async () => {
    const rows = await queryDataset(
      env,
      'curated',
      'movies/all/',
      `SELECT typeof("Title") AS title_type, typeof(release_date) AS date_type,
              count(*) FILTER (WHERE "Title" = '1776')::INTEGER AS numeric_titles,
              max(release_date) FILTER (WHERE "Title" = 'The Land Girls')::VARCHAR AS land_girls
       FROM dataset GROUP BY ALL`,
    );
    expect(rows).toStrictEqual([
      { title_type: 'VARCHAR', date_type: 'DATE', numeric_titles: 1, land_girls: '1998-06-12' },
    ]);
  });
});
