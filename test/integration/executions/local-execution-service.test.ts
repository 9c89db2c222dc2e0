/**
 * The local execution service on real runs: a started run is recorded at
 * once and ends in the store under its organization; cancel stops it before
 * anything is published; redrive resumes a failed run under the same id,
 * doing again only the chunks it had not completed.
 */
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, listObjects } from '../../../shared/aws/s3-objects.ts';
import { RunNotFoundError, RunStateConflictError } from '../../../shared/executions/errors.ts';
import type { StartRunRequest } from '../../../shared/executions/execution-service.ts';
import { LocalExecutionService } from '../../../shared/executions/local-execution-service.ts';
import { handlerDeps } from '../../../shared/lambda/deps.ts';
import { resumeKey } from '../../../shared/lambda/resumable-plan.ts';
import { type Pipeline, PipelineSchema } from '../../../shared/spec/schema.ts';
import { queryDataset, startTestEnvironment, type TestEnvironment } from '../harness.ts';
import {
  CHUNK_BYTES,
  plannedChunks,
  sourceRowCount,
  uploadBirdstrikesByYear,
  waitForRunEnd,
} from './fixtures.ts';

const ORG = 'acme';

function byYear(prefix: string, maxConcurrency: number): Pipeline {
  return PipelineSchema.parse({
    id: `by-year-${prefix}`,
    name: `By year ${prefix}`,
    nodes: [
      { id: 'strikes', type: 'extractor', module: 's3-csv', config: { bucket: 'raw', prefix: 'by-year/' } },
      { id: 'costly', type: 'transformer', module: 'filter', config: { expression: '"Cost Total $" >= 0' } },
      { id: 'lake', type: 'loader', module: 's3-parquet', config: { bucket: 'lake', prefix: `${prefix}/` } },
    ],
    edges: [
      { source: 'strikes', target: 'costly' },
      { source: 'costly', target: 'lake' },
    ],
    execution: {
      chunk_size_bytes: CHUNK_BYTES,
      max_concurrency: maxConcurrency,
      retries: { max_attempts: 0 },
    },
  });
}

function request(pipeline: Pipeline, runId = ulid()): StartRunRequest {
  return { organization: ORG, pipeline, pipelineVersion: 1, runId, parameters: {}, trigger: 'api' };
}

async function publishedRows(env: TestEnvironment, prefix: string): Promise<number> {
  const [row] = await queryDataset(env, 'lake', `${prefix}/`, 'SELECT count(*) AS n FROM dataset');
  return Number(row?.n);
}

/** Staging writes of one chunk's load answer like S3 under load, beyond what the (zero) retries absorb. */
function failLoadOfChunk(index: number): () => void {
  const { s3 } = handlerDeps(ORG);
  const name = `fail-load-${index}`;
  const staged = `/lake/staged/chunk-${String(index).padStart(5, '0')}/`;
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { Key?: string };
      if (context.commandName === 'PutObjectCommand' && (input.Key ?? '').includes(staged)) {
        throw Object.assign(new Error('Please reduce your request rate.'), {
          name: 'SlowDown',
          $metadata: { httpStatusCode: 503 },
        });
      }
      return next(args);
    },
    { step: 'initialize', name },
  );
  return () => s3.middlewareStack.remove(name);
}

describe('LocalExecutionService', () => {
  let env: TestEnvironment;
  let service: LocalExecutionService;
  let expectedRows: number;

  beforeAll(async () => {
    env = await startTestEnvironment();
    await uploadBirdstrikesByYear(env, 'by-year/');
    service = new LocalExecutionService(env.services, { retryDelayMs: 10 });
    expectedRows = await sourceRowCount();
  });
  afterAll(async () => {
    await service?.drain();
    await env?.close();
  });

  describe('start', () => {
    it('records the run before it runs, then runs it to success under its organization only', async () => {
      const runId = ulid();

      await service.start(request(byYear('started', 4), runId));
      const recorded = await handlerDeps(ORG).store.getRun(runId);
      const ended = await waitForRunEnd(ORG, runId);

      expect(recorded).toMatchObject({
        organization: ORG,
        pipelineId: 'by-year-started',
        pipelineVersion: 1,
      });
      expect(['pending', 'running']).toContain(recorded?.status);
      expect(ended).toMatchObject({
        status: 'success',
        trigger: 'api',
        organization: ORG,
        pipelineVersion: 1,
      });
      expect(await handlerDeps('local').store.getRun(runId)).toBeUndefined();
      expect(await handlerDeps('local').store.getNodeRuns(runId)).toStrictEqual([]);
      expect(await publishedRows(env, 'started')).toBe(expectedRows);
    });
  });

  describe('cancel', () => {
    it('ends the run cancelled once its in-flight tasks settle, with nothing published', async () => {
      const runId = ulid();
      await service.start(request(byYear('cancelled', 1), runId));
      // Let it get under way: one chunk through the filter.
      for (;;) {
        const metrics = await handlerDeps(ORG).store.getChunkMetrics(runId);
        if (metrics.some((item) => item.nodeId === 'costly')) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }

      await service.cancel(ORG, runId);
      const run = await handlerDeps(ORG).store.getRun(runId);
      await service.drain();

      expect(run).toMatchObject({ status: 'cancelled', error: { name: 'RunCancelled' } });
      expect((await handlerDeps(ORG).store.getRun(runId))?.status).toBe('cancelled');
      const lake = (await handlerDeps(ORG).store.getNodeRuns(runId)).find((node) => node.nodeId === 'lake');
      expect(lake?.chunks).toBeLessThan((await plannedChunks(ORG, runId, 'strikes')).all.length);
      expect(await listObjects(env.services.s3, 'lake', 'cancelled/')).toStrictEqual([]);
    });

    it('refuses a run that has ended, and a run of another organization', async () => {
      const runId = ulid();
      await service.start(request(byYear('ended', 4), runId));
      await waitForRunEnd(ORG, runId);

      await expect(service.cancel(ORG, runId)).rejects.toThrow(RunStateConflictError);
      await expect(service.cancel('other-org', runId)).rejects.toThrow(RunNotFoundError);
    });
  });

  describe('redrive', () => {
    it('resumes a failed run under the same id, redoing only the chunks it had not completed', async () => {
      const runId = ulid();
      const failingChunk = 1;
      const restore = failLoadOfChunk(failingChunk);
      await service.start(request(byYear('redriven', 2), runId));
      const failed = await waitForRunEnd(ORG, runId).finally(restore);
      expect(failed).toMatchObject({ status: 'failed', error: { name: 'StorageUnavailableError' } });

      await service.redrive(ORG, runId);
      const resumed = await handlerDeps(ORG).store.getRun(runId);
      const ended = await waitForRunEnd(ORG, runId);

      expect(['pending', 'running']).toContain(resumed?.status);
      expect(resumed?.error).toBeUndefined();
      expect(ended.status, JSON.stringify(ended.error)).toBe('success');
      const { s3, env: handlerEnv } = handlerDeps(ORG);
      const resume = (await getJson(s3, handlerEnv.stagingBucket, resumeKey(runId))) as {
        chunks: Record<string, number[]>;
      };
      const planned = await plannedChunks(ORG, runId, 'strikes');
      expect(resume.chunks.strikes).toContain(failingChunk);
      expect(resume.chunks.strikes?.length).toBeLessThan(planned.all.length);
      expect(await publishedRows(env, 'redriven')).toBe(expectedRows);
      const lake = (await handlerDeps(ORG).store.getNodeRuns(runId)).find((node) => node.nodeId === 'lake');
      expect(lake).toMatchObject({ status: 'success', chunks: planned.all.length, rowsOut: expectedRows });
    });

    it('refuses a run that succeeded', async () => {
      const runId = ulid();
      await service.start(request(byYear('succeeded', 4), runId));
      await waitForRunEnd(ORG, runId);

      await expect(service.redrive(ORG, runId)).rejects.toThrow(/only a failed, timed-out or cancelled run/);
    });
  });
});
