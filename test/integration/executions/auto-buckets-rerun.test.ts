/**
 * `shuffle_buckets: auto` under a rerun of failed chunks. A resumed plan
 * emits only the chunks left to do, yet they must shuffle with the modulus
 * of the whole plan, the one the reused chunks' files were written with, so
 * every barrier input keeps one modulus and every row is reduced once.
 */
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyObject, getJson, listObjects, putJson } from '../../../shared/aws/s3-objects.ts';
import { autoShuffleModulus } from '../../../shared/chunks/reduce-buckets.ts';
import {
  parseShuffleFileKey,
  reduceModulusKey,
  shuffleFileKey,
  shuffleInputPrefix,
  shuffleSchemaKey,
  UnreadableShuffleFileError,
} from '../../../shared/chunks/shuffle.ts';
import { RerunNotPossibleError } from '../../../shared/executions/errors.ts';
import { LocalExecutionService } from '../../../shared/executions/local-execution-service.ts';
import { handlerDeps } from '../../../shared/lambda/deps.ts';
import { planResult } from '../../../shared/lambda/plan-result.ts';
import { listShuffleFiles, planReduceBuckets } from '../../../shared/lambda/reduce-plan.ts';
import { planChunksResumably, planKey, resumeKey } from '../../../shared/lambda/resumable-plan.ts';
import { ensureBucket } from '../../../shared/runtime/local-services.ts';
import { queryDataset, queryDirectly, startTestEnvironment, type TestEnvironment } from '../harness.ts';
import {
  BIRDSTRIKES,
  plannedChunks,
  strikesPerYear,
  uploadBirdstrikesByYear,
  waitForRunEnd,
  YEAR,
} from './fixtures.ts';

const ORG = 'acme';
const RUN = {
  runId: 'unset',
  pipelineId: 'p',
  pipelineName: 'p',
  parameters: {},
  startedAt: '2026-01-01T00:00:00.000Z',
  organization: ORG,
};

async function shuffleModuli(runId: string): Promise<number[]> {
  const { s3, env } = handlerDeps(ORG);
  const objects = await listObjects(s3, env.stagingBucket, shuffleInputPrefix(runId, 'per_year', 0));
  const moduli = objects.flatMap((object) => parseShuffleFileKey(object.key)?.modulus ?? []);
  return [...new Set(moduli)];
}

describe('auto shuffle buckets under a rerun of failed chunks', () => {
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

  it('plans a resumed stage with the modulus of its whole plan, not of the chunks it redoes', async () => {
    const deps = handlerDeps(ORG);
    const runId = ulid();
    await ensureBucket(deps.s3, deps.env.stagingBucket);
    const all = Array.from({ length: 12 }, (_, index) => ({ index }));
    const run = { ...RUN, runId };

    const fresh = await planResult(deps, run, 'strikes', all.slice(0, 2), undefined);
    // The first attempt planned 12 chunks; the resumed one redoes two of them.
    await putJson(deps.s3, deps.env.stagingBucket, planKey(runId, 'strikes'), all);
    await putJson(deps.s3, deps.env.stagingBucket, resumeKey(runId), { chunks: { strikes: [0, 1] } });
    const resumedRun = { ...run, resumeFrom: runId };
    const left = await planChunksResumably(deps, resumedRun, 'strikes', () => {
      throw new Error('a resumed plan must not plan the source again');
    });
    const resumed = await planResult(deps, resumedRun, 'strikes', left.chunks, undefined, left.plannedCount);
    // A barrier's plan has no chunk-plan file: its own bucket count decides.
    const barrier = await planResult(deps, resumedRun, 'per_year', all.slice(0, 3), undefined);

    expect(fresh.run.shuffleBuckets).toBe(2);
    expect(resumed.run.shuffleBuckets).toBe(16);
    expect(resumed.chunkCount).toBe(2);
    expect(barrier.run.shuffleBuckets).toBe(4);
  });

  it('plans a redriven barrier with the reduce modulus its first attempt chose', async () => {
    const deps = handlerDeps(ORG);
    await ensureBucket(deps.s3, deps.env.stagingBucket);
    const runId = ulid();
    const event = {
      action: 'plan' as const,
      run: { ...RUN, runId },
      node: { id: 'per_year', module: 'aggregate', config: {} },
      inputs: 1,
      shuffleBuckets: 'auto' as const,
      chunkSizeBytes: 100,
    };
    // 16 source buckets of 100 bytes: 16 chunk sizes, so 16 reduce tasks.
    const files = Array.from({ length: 16 }, (_, bucket) => ({
      input: 0,
      modulus: 16,
      bucket,
      chunk: 0,
      part: 0,
      size: 100,
    }));

    const first = await planReduceBuckets(deps, event, files);
    expect(first.chunkCount).toBe(16);
    expect(await getJson(deps.s3, deps.env.stagingBucket, reduceModulusKey(runId, 'per_year'))).toStrictEqual(
      {
        modulus: 16,
      },
    );
    // Redone shuffles wrote smaller files: the redrive still plans the first attempt's 16 buckets.
    const redriven = await planReduceBuckets(
      deps,
      { ...event, run: { ...event.run, resumeFrom: runId } },
      files.map((file) => ({ ...file, size: 10 })),
    );
    expect(redriven.chunks.map((chunk) => chunk.index)).toStrictEqual(
      first.chunks.map((chunk) => chunk.index),
    );
  });

  it('reruns a run that failed after its barrier from the shuffled files, under one modulus', async () => {
    const failedRunId = ulid();
    const failing = 1995;
    await service.start({
      organization: ORG,
      pipeline: strikesPerYear(
        `CASE WHEN year = ${failing} THEN CAST(error('no count') AS BIGINT) ELSE strikes END`,
        'strikes-per-year-auto',
      ),
      pipelineVersion: 1,
      runId: failedRunId,
      parameters: {},
      trigger: 'api',
    });
    expect(await waitForRunEnd(ORG, failedRunId)).toMatchObject({
      status: 'failed',
      error: { nodeId: 'checked' },
    });

    const rerunId = ulid();
    await service.rerunFailedChunks({
      organization: ORG,
      failedRunId,
      pipeline: strikesPerYear('strikes', 'strikes-per-year-auto'),
      pipelineVersion: 2,
      runId: rerunId,
    });
    const rerun = await waitForRunEnd(ORG, rerunId);
    expect(rerun.status, JSON.stringify(rerun.error)).toBe('success');

    const { s3, env: handlerEnv } = handlerDeps(ORG);
    const resume = (await getJson(s3, handlerEnv.stagingBucket, resumeKey(rerunId))) as {
      chunks: Record<string, number[]>;
    };
    // Nothing extracted again: every shuffle file was copied, written with the whole plan's modulus.
    expect(resume.chunks).toStrictEqual({ strikes: [] });
    const planned = await plannedChunks(ORG, rerunId, 'strikes');
    expect(await shuffleModuli(rerunId)).toStrictEqual([autoShuffleModulus(planned.all.length)]);

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
  }, 120_000);
  it('refuses to plan a barrier whose shuffle prefix holds a file it cannot place in a bucket', async () => {
    const deps = handlerDeps(ORG);
    const bucket = deps.env.stagingBucket;
    await ensureBucket(deps.s3, bucket);
    const runId = ulid();
    const file = { input: 0, modulus: 4, bucket: 1, chunk: 0, part: 0 };
    await putJson(deps.s3, bucket, shuffleFileKey(runId, 'per_year', file), {});
    await putJson(deps.s3, bucket, shuffleSchemaKey(runId, 'per_year', 0), {});
    await putJson(deps.s3, bucket, reduceModulusKey(runId, 'per_year'), { modulus: 4 });
    // Bookkeeping beside the files is skipped: one file listed.
    expect((await listShuffleFiles(deps, runId, 'per_year')).map((listed) => listed.bucket)).toStrictEqual([
      1,
    ]);

    // The layout before moduli were part of the key: skipping it would reduce without its rows.
    const olderLayout = `${shuffleInputPrefix(runId, 'per_year', 0)}bucket-00003/chunk-00001-0.parquet`;
    await putJson(deps.s3, bucket, olderLayout, {});
    const listing = listShuffleFiles(deps, runId, 'per_year');
    await expect(listing).rejects.toThrow(UnreadableShuffleFileError);
    await expect(listing).rejects.toThrow(olderLayout);
  });

  it('refuses to rerun from a failed run whose shuffle files it cannot place, instead of dropping their rows', async () => {
    const failedRunId = ulid();
    await service.start({
      organization: ORG,
      pipeline: strikesPerYear(
        "CASE WHEN year = 1995 THEN CAST(error('no count') AS BIGINT) ELSE strikes END",
        'strikes-per-year-older-layout',
      ),
      pipelineVersion: 1,
      runId: failedRunId,
      parameters: {},
      trigger: 'api',
    });
    expect((await waitForRunEnd(ORG, failedRunId)).status).toBe('failed');
    // Move one of its shuffle files to the older layout, as a run of an earlier version left it.
    const { s3, env: handlerEnv } = handlerDeps(ORG);
    const bucket = handlerEnv.stagingBucket;
    const inputPrefix = shuffleInputPrefix(failedRunId, 'per_year', 0);
    const [moved] = (await listObjects(s3, bucket, inputPrefix)).filter(
      (object) => parseShuffleFileKey(object.key) !== undefined,
    );
    if (moved === undefined) throw new Error('the failed run wrote no shuffle file');
    const olderLayout = `${inputPrefix}bucket-00000/chunk-00000-0.parquet`;
    await copyObject(s3, { bucket, key: moved.key }, { bucket, key: olderLayout });
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: moved.key }));

    const rerun = service.rerunFailedChunks({
      organization: ORG,
      failedRunId,
      pipeline: strikesPerYear('strikes', 'strikes-per-year-older-layout'),
      pipelineVersion: 2,
      runId: ulid(),
    });
    await expect(rerun).rejects.toThrow(RerunNotPossibleError);
    await expect(rerun).rejects.toThrow(olderLayout);
  }, 120_000);
});
