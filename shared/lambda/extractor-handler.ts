/** The Lambda handler of every extractor: `plan` cuts the source into chunks, `extract` reads one. */
import { join } from 'node:path';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { withDuckDb } from '../duckdb/engine.ts';
import { DataError } from '../errors.ts';
import type { ExtractorKernel } from '../modules/kernels.ts';
import type { ModuleDefinition } from '../modules/types.ts';
import { completeChunk, connectorIo } from './chunk-io.ts';
import { handlerDeps } from './deps.ts';
import { type ChunkResult, ExtractEventSchema, PlanEventSchema, type PlanResult } from './events.ts';
import { runNodeTask } from './node-task.ts';
import { parseEvent, parseNodeConfig } from './parse-event.ts';
import { planResult } from './plan-result.ts';
import { createObservability, type LambdaHandler, withObservability } from './powertools.ts';
import { withWorkDir } from './work-dir.ts';

const ExtractorEventSchema = z.discriminatedUnion('action', [PlanEventSchema, ExtractEventSchema]);

export function createExtractorHandler<TSchema extends z.ZodType>(
  module: ModuleDefinition<TSchema>,
  kernel: ExtractorKernel<z.output<TSchema>>,
): LambdaHandler<unknown, PlanResult | ChunkResult> {
  const observability = createObservability(`etl-${module.name}`);

  return withObservability(observability, async (rawEvent: unknown, _context: Context) => {
    const event = parseEvent(ExtractorEventSchema, rawEvent, module.name);
    const deps = handlerDeps();
    const { run, node } = event;
    const io = connectorIo(deps, run, node);

    return runNodeTask(deps, observability, run, node, async (): Promise<PlanResult | ChunkResult> => {
      const config = await parseNodeConfig(module, node.id, node.config);
      if (event.action === 'plan') {
        const chunks = await withWorkDir((workDir) =>
          kernel.plan(config, { ...io, workDir }, event.chunkSizeBytes),
        );
        observability.metrics.addDimensions({ pipeline: run.pipelineId, node: node.id });
        observability.metrics.addMetric('ChunksPlanned', MetricUnit.Count, chunks.length);
        observability.logger.info('planned chunks', { chunks: chunks.length });
        return planResult(deps, run, node.id, chunks, event.inlineChunkLimit);
      }

      const startedAt = performance.now();
      const { chunk } = event;
      return withWorkDir((workDir) =>
        withDuckDb({ workDir }, async (connection) => {
          const outputPath = join(workDir, 'output.parquet');
          const { rowsIn, rowsOut, rowsRejected } = await kernel.extract(config, chunk, {
            ...io,
            workDir,
            connection,
            outputPath,
          });
          if (rowsIn !== rowsOut + rowsRejected) {
            // Every record read must be written or quarantined: anything else would lose data silently.
            throw new DataError(
              `chunk ${chunk.index}: read ${rowsIn} records but wrote ${rowsOut} and rejected ${rowsRejected}`,
            );
          }
          return completeChunk(deps, observability, connection, {
            run,
            node,
            index: chunk.index,
            path: outputPath,
            counters: { rowsIn, rowsOut, rowsRejected, rowsFiltered: 0 },
            startedAt,
          });
        }),
      );
    });
  });
}
