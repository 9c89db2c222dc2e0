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
import { connectorIo, openChunkAsInput } from './chunk-io.ts';
import { recordChunkMetrics } from './chunk-metrics.ts';
import { handlerDeps } from './deps.ts';
import { CommitEventSchema, LoadEventSchema, type LoadResult } from './events.ts';
import { elapsedMs, runNodeTask } from './node-task.ts';
import { parseEvent, parseNodeConfig } from './parse-event.ts';
import { createObservability, type LambdaHandler, withObservability } from './powertools.ts';
import { assertRejectsWithinThreshold } from './reject-threshold.ts';
import { withWorkDir } from './work-dir.ts';

const LoaderEventSchema = z.discriminatedUnion('action', [LoadEventSchema, CommitEventSchema]);

export function createLoaderHandler<TSchema extends z.ZodType>(
  module: ModuleDefinition<TSchema>,
  kernel: LoaderKernel<z.output<TSchema>>,
): LambdaHandler<unknown, LoadResult | CommitResult> {
  const observability = createObservability(`etl-${module.name}`);

  return withObservability(observability, async (rawEvent: unknown, _context: Context) => {
    const event = parseEvent(LoaderEventSchema, rawEvent, module.name);
    const deps = handlerDeps();
    const { run, node } = event;
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

      const startedAt = performance.now();
      const { chunk } = event;
      return withWorkDir((workDir) =>
        withDuckDb({ workDir }, async (connection) => {
          await openChunkAsInput(deps, connection, chunk, workDir);
          const staged = await kernel.stage(config, {
            ...io,
            workDir,
            connection,
            stagingPrefix: loaderStagingPrefix(run.runId, node.id, chunk.index),
          });
          await recordChunkMetrics(deps, observability, run, node, {
            chunkIndex: chunk.index,
            rowsIn: chunk.rows,
            rowsOut: staged.rows,
            rowsRejected: chunk.rows - staged.rows,
            rowsFiltered: 0,
            durationMs: elapsedMs(startedAt),
            bytesOut: staged.bytes,
          });
          return { rows: staged.rows };
        }),
      );
    });
  });
}
