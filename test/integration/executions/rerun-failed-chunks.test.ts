/**
 * Acceptance of rerun-failed-chunks: a run whose transform fails on exactly
 * two chunks (two years of birdstrikes) fails without publishing anything; a
 * new pipeline version fixes the expression; the rerun processes only the
 * chunks the failed run did not complete, reuses the others, and the
 * destination ends with every source row exactly once.
 */
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, listObjects } from '../../../shared/aws/s3-objects.ts';
import { LocalExecutionService } from '../../../shared/executions/local-execution-service.ts';
import { handlerDeps } from '../../../shared/lambda/deps.ts';
import { resumeKey } from '../../../shared/lambda/resumable-plan.ts';
import { type Pipeline, PipelineSchema } from '../../../shared/spec/schema.ts';
import { queryDataset, queryDirectly, startTestEnvironment, type TestEnvironment } from '../harness.ts';
import {
  BIRDSTRIKES,
  CHUNK_BYTES,
  plannedChunks,
  sourceRowCount,
  strikesPerYear,
  uploadBirdstrikesByYear,
  waitForRunEnd,
  YEAR,
} from './fixtures.ts';

const ORG = 'acme';
const FAILING_YEARS = [1993, 1998];

function pipeline(expression: string): Pipeline {
  return PipelineSchema.parse({
    id: 'strikes-by-year',
    name: 'Strikes by year',
    nodes: [
      { id: 'strikes', type: 'extractor', module: 's3-csv', config: { bucket: 'raw', prefix: 'by-year/' } },
      {
        id: 'years',
        type: 'transformer',
        module: 'derive',
        config: { columns: [{ name: 'year', expression }] },
      },
      { id: 'lake', type: 'loader', module: 's3-parquet', config: { bucket: 'lake', prefix: 'strikes/' } },
    ],
    edges: [
      { source: 'strikes', target: 'years' },
      { source: 'years', target: 'lake' },
    ],
    execution: { chunk_size_bytes: CHUNK_BYTES, max_concurrency: 4, retries: { max_attempts: 0 } },
  });
}

/** Version 1 raises a data error on the rows of the failing years only; version 2 is the fix. */
const broken = pipeline(
  `CASE WHEN ${YEAR} IN (${FAILING_YEARS.join(', ')}) THEN CAST(error('no year for ' || "Flight Date") AS INTEGER) ELSE ${YEAR} END`,
);
const fixed = pipeline(YEAR);

describe('rerun of failed chunks', () => {
  let env: TestEnvironment;
  let service: LocalExecutionService;

  beforeAll(async () => {
    env = await startTestEnvironment();
    await uploadBirdstrikesByYear(env, 'by-year/');
    service = new LocalExecutionService(env.services, { retryDelayMs: 10 });
  });
  afterAll(async () => {
    await service?.drain();
    await env?.close();
  });

  it('completes a run that failed on two chunks, after a fix, with every row published exactly once', async () => {
    const failedRunId = ulid();
    await service.start({
      organization: ORG,
      pipeline: broken,
      pipelineVersion: 1,
      runId: failedRunId,
      parameters: {},
      trigger: 'api',
    });
    const failed = await waitForRunEnd(ORG, failedRunId);

    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({ nodeId: 'years', name: 'DataError' });
    expect(await listObjects(env.services.s3, 'lake', 'strikes/')).toStrictEqual([]);

    const rerunId = ulid();
    await service.rerunFailedChunks({
      organization: ORG,
      failedRunId,
      pipeline: fixed,
      pipelineVersion: 2,
      runId: rerunId,
    });
    const rerun = await waitForRunEnd(ORG, rerunId);

    expect(rerun.status, JSON.stringify(rerun.error)).toBe('success');
    expect(rerun).toMatchObject({ organization: ORG, pipelineVersion: 2, rerunOf: failedRunId });
    // Only what the failed run left undone was extracted again: both failing years, not every year.
    const { s3, env: handlerEnv } = handlerDeps(ORG);
    const resume = (await getJson(s3, handlerEnv.stagingBucket, resumeKey(rerunId))) as {
      chunks: Record<string, number[]>;
    };
    const redone = resume.chunks.strikes ?? [];
    const planned = await plannedChunks(
      ORG,
      failedRunId,
      'strikes',
      FAILING_YEARS.map((year) => `by-year/${year}.csv`),
    );
    expect(planned.reading).toHaveLength(2);
    expect(redone).toEqual(expect.arrayContaining(planned.reading));
    expect(redone.length).toBeLessThan(planned.all.length);
    // Counters cover reused and new chunks once each.
    const nodes = await handlerDeps(ORG).store.getNodeRuns(rerunId);
    const expectedRows = await sourceRowCount();
    expect(nodes.find((node) => node.nodeId === 'lake')).toMatchObject({
      status: 'success',
      chunks: planned.all.length,
      rowsOut: expectedRows,
    });

    const [published] = await queryDataset(env, 'lake', 'strikes/', 'SELECT count(*) AS n FROM dataset');
    expect(Number(published?.n)).toBe(expectedRows);
    // Every source row exactly once (multiset equality both ways), each with the fixed column.
    const [difference] = await queryDataset(
      env,
      'lake',
      'strikes/',
      `WITH published AS (SELECT "Airport Name" AS a, CAST("Flight Date" AS DATE) AS d, "Cost Total $" AS c, "Wildlife Species" AS w FROM dataset),
            source AS (SELECT "Airport Name" AS a, CAST("Flight Date" AS DATE) AS d, "Cost Total $" AS c, "Wildlife Species" AS w FROM read_csv('${BIRDSTRIKES}'))
       SELECT (SELECT count(*) FROM (SELECT * FROM published EXCEPT ALL SELECT * FROM source)) AS extra,
              (SELECT count(*) FROM (SELECT * FROM source EXCEPT ALL SELECT * FROM published)) AS missing,
              (SELECT count(*) FROM dataset WHERE year <> ${YEAR}) AS wrong_year`,
    );
    expect(difference).toStrictEqual({ extra: '0', missing: '0', wrong_year: '0' });
  });

  it('reruns a run that failed after a barrier from the shuffled chunks it had, extracting nothing again', async () => {
    const failedRunId = ulid();
    const failing = 1995;
    await service.start({
      organization: ORG,
      pipeline: strikesPerYear(
        `CASE WHEN year = ${failing} THEN CAST(error('no count for ' || year) AS BIGINT) ELSE strikes END`,
        'strikes-per-year',
      ),
      pipelineVersion: 1,
      runId: failedRunId,
      parameters: {},
      trigger: 'api',
    });
    const failed = await waitForRunEnd(ORG, failedRunId);
    expect(failed).toMatchObject({ status: 'failed', error: { nodeId: 'checked' } });

    const rerunId = ulid();
    await service.rerunFailedChunks({
      organization: ORG,
      failedRunId,
      pipeline: strikesPerYear('strikes', 'strikes-per-year'),
      pipelineVersion: 2,
      runId: rerunId,
    });
    const rerun = await waitForRunEnd(ORG, rerunId);

    expect(rerun.status, JSON.stringify(rerun.error)).toBe('success');
    const { s3, env: handlerEnv } = handlerDeps(ORG);
    const resume = (await getJson(s3, handlerEnv.stagingBucket, resumeKey(rerunId))) as {
      chunks: Record<string, number[]>;
    };
    expect(resume.chunks).toStrictEqual({ strikes: [] });
    const published = await queryDataset(
      env,
      'lake',
      'per-year/',
      'SELECT CAST(year AS INTEGER) AS year, CAST(checked AS INTEGER) AS n FROM dataset ORDER BY year',
    );
    const expected = await queryDirectly(
      `SELECT CAST(${YEAR} AS INTEGER) AS year, CAST(count(*) AS INTEGER) AS n FROM read_csv('${BIRDSTRIKES}') GROUP BY 1 ORDER BY 1`,
    );
    expect(published).toStrictEqual(expected);
  });
});
