/**
 * The Lambda handler of every loader: `load` stages one chunk where nothing
 * reads it yet; `commit` publishes the whole run once, after every chunk
 * succeeded (exactly-once effect on at-least-once delivery).
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { loaderStagingPrefix } from '../chunks/ref.ts';
import { withDuckDb } from '../duckdb/engine.ts';
import type { CommitResult, LoaderKernel } from '../modules/kernels.ts';
import type { ModuleDefinition } from '../modules/types.ts';
import { type ModuleHandler, type StepScope, withChainSteps } from './chain-steps.ts';
import { connectorIo, openChunkAsInput } from './chunk-io.ts';
import { recordChunkMetrics } from './chunk-metrics.ts';
import { handlerDeps } from './deps.ts';
import { CommitEventSchema, LoadEventSchema, type LoadResult } from './events.ts';
import { elapsedMs, runNodeTask } from './node-task.ts';
import { parseEvent, parseNodeConfig } from './parse-event.ts';
import { createObservability, withObservability } from './powertools.ts';
import { assertRejectsWithinThreshold } from './reject-threshold.ts';
import { withWorkDir } from './work-dir.ts';

const LoaderEventSchema = z.discriminatedUnion('action', [LoadEventSchema, CommitEventSchema]);

export function createLoaderHandler<TSchema extends z.ZodType>(
  module: ModuleDefinition<TSchema>,
  kernel: LoaderKernel<z.output<TSchema>>,
): ModuleHandler<LoadResult | CommitResult> {
  const observability = createObservability(`etl-${module.name}`);

  const handler = withObservability(observability, async (rawEvent: unknown, _context: Context) => {
    const event = parseEvent(LoaderEventSchema, rawEvent, module.name);
    const { run, node } = event;
    const deps = handlerDeps(run.organization);
    const io = connectorIo(deps, run, node);

    return runNodeTask(deps, observability, run, node, async (): Promise<LoadResult | CommitResult> => {
      const config = await parseNodeConfig(module, node.id, node.config);
      if (event.action === 'commit') {
        await assertRejectsWithinThreshold(
          deps.store,
          run.runId,
          event.maxRejectRatio,
          deps.env.stagingBucket,
        );
        const result = await withWorkDir((workDir) =>
          kernel.commit(config, { ...io, workDir, stagingPrefix: loaderStagingPrefix(run.runId, node.id) }),
        );
        observability.metrics.addDimensions({ pipeline: run.pipelineId, node: node.id });
        observability.metrics.addMetric('RowsCommitted', MetricUnit.Count, result.rows);
        observability.logger.info('committed load', { ...result });
        return result;
      }

      const { chunk } = event;
      return withWorkDir((workDir) =>
        withDuckDb({ workDir }, async (connection) => {
          await openChunkAsInput(deps, connection, chunk, workDir);
          const scope = { deps, observability, connection, run, node, workDir, index: chunk.index };
          await stageChunk(scope, kernel, config, chunk.rows);
          return { rows: chunk.rows };
        }),
      );
    });
  });
  return withChainSteps(handler, {
    load: async (scope, rowsIn) => {
      const config = await parseNodeConfig(module, scope.node.id, scope.node.config);
      await stageChunk(scope, kernel, config, rowsIn);
    },
  });
}

/** Stages the view `input` (`rowsIn` rows) under the chunk's prefix and records the node's counters. */
async function stageChunk<TConfig>(
  scope: StepScope,
  kernel: LoaderKernel<TConfig>,
  config: TConfig,
  rowsIn: number,
): Promise<void> {
  const startedAt = performance.now();
  const { deps, observability, connection, run, node, workDir, index } = scope;
  const staged = await kernel.stage(config, {
    ...connectorIo(deps, run, node),
    workDir,
    connection,
    stagingPrefix: loaderStagingPrefix(run.runId, node.id, index),
  });
  await recordChunkMetrics(deps, observability, run, node, {
    chunkIndex: index,
    rowsIn,
    rowsOut: staged.rows,
    rowsRejected: rowsIn - staged.rows,
    rowsFiltered: 0,
    durationMs: elapsedMs(startedAt),
    bytesOut: staged.bytes,
  });
}
