/**
 * Errors take the path their type says: a terminal error fails the run at
 * once with the node and message recorded; a transient one is retried per
 * the Retry policy and the run succeeds without counting anything twice.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlerDeps } from '../../shared/lambda/deps.ts';
import { runPipelineLocally } from '../../shared/runtime/run-local.ts';
import { PipelineSchema } from '../../shared/spec/schema.ts';
import { putLocalFile, REPO_ROOT, startTestEnvironment, type TestEnvironment } from './harness.ts';

const SOURCE = join(REPO_ROOT, 'examples/birdstrikes/data/birdstrikes.csv');

function pipelineWithDerive(expression: string, fuse = true) {
  return PipelineSchema.parse({
    name: 'failure-paths',
    nodes: [
      {
        id: 'strikes',
        type: 'extractor',
        module: 's3-csv',
        config: { bucket: 'raw', prefix: 'birdstrikes/' },
      },
      { id: 'costly', type: 'transformer', module: 'filter', config: { expression: '"Cost Total $" > 0' } },
      {
        id: 'numbers',
        type: 'transformer',
        module: 'derive',
        config: { columns: [{ name: 'n', expression }] },
      },
      { id: 'out', type: 'loader', module: 's3-parquet', config: { bucket: 'lake', prefix: 'failures/' } },
    ],
    edges: [
      { source: 'strikes', target: 'costly' },
      { source: 'costly', target: 'numbers' },
      { source: 'numbers', target: 'out' },
    ],
    execution: { chunk_size_bytes: 256 * 1024, fuse, retries: { max_attempts: 2, interval_seconds: 1 } },
  });
}

interface LoggedEvent {
  readonly type: string;
  readonly index?: number;
  readonly state?: { readonly name: string };
}

async function eventsFor(eventLogPath: string, stateName: string): Promise<LoggedEvent[]> {
  const lines = (await readFile(eventLogPath, 'utf8')).split('\n').filter(Boolean);
  return lines
    .map((line) => JSON.parse(line) as LoggedEvent)
    .filter((event) => event.state?.name === stateName);
}

async function eventTypesFor(eventLogPath: string, stateName: string): Promise<string[]> {
  return (await eventsFor(eventLogPath, stateName)).map((event) => event.type);
}

/**
 * Fault injection at the S3 layer of the real handlers: the first `failures`
 * reads of keys matching `key` answer like S3 under load (503 SlowDown).
 * Added before the SDK's own retries, so each fault reaches the handler.
 */
function failS3Reads(key: RegExp, failures: number): () => void {
  let injected = 0;
  const { s3 } = handlerDeps();
  const name = `inject-slowdown-${Math.random()}`;
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { Key?: string };
      if (context.commandName === 'GetObjectCommand' && key.test(input.Key ?? '') && injected < failures) {
        injected++;
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

/** The chunks `costly` reads: what `strikes` staged. */
const COSTLY_INPUT = /^runs\/[^/]+\/strikes\/part-\d+\.parquet$/;
/** Read by every chunk's extract (and by nothing else): a fault there hits the fused chain's first node. */
const STRIKES_PLAN = /^runs\/[^/]+\/strikes\/source-plan\.json$/;

/**
 * Fused (the default), a chunk's nodes share one Task, so faults are injected
 * where that Task reads; unfused, where `costly` reads its input chunk.
 */
const MODES = [
  { mode: 'fused', fuse: true, failingTask: 'Chain strikes', faultKey: STRIKES_PLAN, faultNode: 'strikes' },
  { mode: 'unfused', fuse: false, failingTask: 'numbers', faultKey: COSTLY_INPUT, faultNode: 'costly' },
] as const;
const FAULT_TASK = { fused: 'Chain strikes', unfused: 'costly' } as const;
const FAULT_MODULE = { strikes: 's3-csv', costly: 'filter' } as const;

describe('failure handling of a local run', () => {
  let env: TestEnvironment;

  beforeAll(async () => {
    env = await startTestEnvironment();
    await putLocalFile(env, SOURCE, 'raw', 'birdstrikes/birdstrikes.csv');
  });
  afterAll(() => env.close());

  it.each(MODES)(
    'fails the run when a transform throws a terminal error, recording the node and message, without retrying ($mode)',
    async ({ fuse, failingTask }) => {
      const result = await runPipelineLocally(
        pipelineWithDerive('CAST("Airport Name" AS INTEGER)', fuse),
        env.services,
        { retryDelayMs: 10 },
      );

      expect(result.run.status).toBe('failed');
      expect(result.run.error?.nodeId).toBe('numbers');
      expect(result.run.error?.name).toBe('DataError');
      expect(result.run.error?.message).toMatch(/^node numbers \(derive\): .*Conversion Error/s);
      const failedNode = result.nodes.find((node) => node.nodeId === 'numbers');
      expect(failedNode?.status).toBe('failed');
      const taskEvents = await eventTypesFor(result.eventLogPath, failingTask);
      expect(taskEvents).toContain('StateFailed');
      expect(taskEvents).not.toContain('StateRetried');
      expect(await eventTypesFor(result.eventLogPath, 'OnFailure')).toContain('StateExited');
      expect(result.nodes.find((node) => node.nodeId === 'out')?.rowsOut).toBe(0);
    },
  );

  it.each(MODES)(
    'retries a transient error per the Retry policy and succeeds, counting each chunk once ($mode)',
    async ({ mode, fuse, faultKey }) => {
      const restore = failS3Reads(faultKey, 2);
      const result = await runPipelineLocally(pipelineWithDerive('"Cost Total $" * 2', fuse), env.services, {
        retryDelayMs: 10,
      }).finally(restore);

      expect(result.run.status).toBe('success');
      expect(
        (await eventTypesFor(result.eventLogPath, FAULT_TASK[mode])).filter(
          (type) => type === 'StateRetried',
        ),
      ).toHaveLength(2);
      const strikes = result.nodes.find((node) => node.nodeId === 'strikes');
      for (const nodeId of ['strikes', 'costly']) {
        const node = result.nodes.find((candidate) => candidate.nodeId === nodeId);
        expect(node?.rowsIn).toBe(10_000);
        expect(node?.chunks).toBe(strikes?.chunks);
      }
    },
  );

  it('records a run that exceeds execution.timeout_seconds as timed out', async () => {
    const slow = PipelineSchema.parse({ ...pipelineWithDerive('1'), execution: { timeout_seconds: 1 } });
    const { s3 } = handlerDeps();
    const name = 'slow-reads';
    s3.middlewareStack.add(
      (next) => async (args) => {
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        return next(args);
      },
      { step: 'initialize', name },
    );

    const result = await runPipelineLocally(slow, env.services).finally(() =>
      s3.middlewareStack.remove(name),
    );
    // Let the task the timeout abandoned finish before the emulators stop.
    await new Promise((resolve) => setTimeout(resolve, 3_000));

    expect(result.run.status).toBe('timeout');
    expect(result.run.error).toStrictEqual({
      name: 'States.Timeout',
      message: 'the run exceeded execution.timeout_seconds (1 s)',
    });
  });

  it.each(MODES)(
    'fails the run naming the node when a transient error outlasts its retries ($mode)',
    async ({ mode, fuse, faultKey, faultNode }) => {
      const restore = failS3Reads(faultKey, 1_000);
      const result = await runPipelineLocally(pipelineWithDerive('"Cost Total $" * 2', fuse), env.services, {
        retryDelayMs: 10,
      }).finally(restore);

      expect(result.run.status).toBe('failed');
      expect(result.run.error).toMatchObject({ nodeId: faultNode, name: 'StorageUnavailableError' });
      expect(result.run.error?.message).toMatch(
        new RegExp(
          `^node ${faultNode} \\(${FAULT_MODULE[faultNode]}\\): reading s3://etl-staging/runs/.*SlowDown`,
        ),
      );
      // max_attempts 2: per chunk, the first try and at most two retries; the chunk that exhausts them ends the Map.
      const retriesPerChunk = new Map<number, number>();
      for (const event of await eventsFor(result.eventLogPath, FAULT_TASK[mode])) {
        if (event.type === 'StateRetried')
          retriesPerChunk.set(event.index ?? -1, (retriesPerChunk.get(event.index ?? -1) ?? 0) + 1);
      }
      expect(Math.max(...retriesPerChunk.values())).toBe(2);
    },
  );
});
