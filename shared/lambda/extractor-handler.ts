/** The Lambda handler of every extractor: `plan` cuts the source into chunks, `extract` reads one. */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { groupSmallChunks } from '../chunks/group-chunks.ts';
import { withDuckDb } from '../duckdb/engine.ts';
import type { ExtractorKernel } from '../modules/kernels.ts';
import type { ModuleDefinition } from '../modules/types.ts';
import { type ModuleHandler, nodeTable, withChainSteps } from './chain-steps.ts';
import { completeChunk, connectorIo } from './chunk-io.ts';
import { handlerDeps } from './deps.ts';
import { type ChunkResult, ExtractEventSchema, PlanEventSchema, type PlanResult } from './events.ts';
import { extractChunkFiles, extractChunkTable, extractedRelation, singleFile } from './extract-chunk.ts';
import { runNodeTask } from './node-task.ts';
import { parseEvent, parseNodeConfig } from './parse-event.ts';
import { planResult } from './plan-result.ts';
import { createObservability, withObservability } from './powertools.ts';
import { planChunksResumably } from './resumable-plan.ts';
import { withWorkDir } from './work-dir.ts';

const ExtractorEventSchema = z.discriminatedUnion('action', [PlanEventSchema, ExtractEventSchema]);

export function createExtractorHandler<TSchema extends z.ZodType>(
  module: ModuleDefinition<TSchema>,
  kernel: ExtractorKernel<z.output<TSchema>>,
): ModuleHandler<PlanResult | ChunkResult> {
  const observability = createObservability(`etl-${module.name}`);

  const handler = withObservability(observability, async (rawEvent: unknown, _context: Context) => {
    const event = parseEvent(ExtractorEventSchema, rawEvent, module.name);
    const { run, node } = event;
    const deps = handlerDeps(run.organization);
    const io = connectorIo(deps, run, node);

    return runNodeTask(deps, observability, run, node, async (): Promise<PlanResult | ChunkResult> => {
      const config = await parseNodeConfig(module, node.id, node.config);
      if (event.action === 'plan') {
        const { chunks, plannedCount } = await planChunksResumably(deps, run, node.id, () =>
          withWorkDir(async (workDir) =>
            groupSmallChunks(
              await kernel.plan(config, { ...io, workDir }, event.chunkSizeBytes, event.workers),
              event.chunkSizeBytes,
            ),
          ),
        );
        observability.metrics.addDimensions({ pipeline: run.pipelineId, node: node.id });
        observability.metrics.addMetric('ChunksPlanned', MetricUnit.Count, chunks.length);
        observability.logger.info('planned chunks', { chunks: chunks.length });
        return planResult(deps, run, node.id, chunks, event.inlineChunkLimit, plannedCount);
      }

      const startedAt = performance.now();
      const { chunk } = event;
      return withWorkDir((workDir) =>
        withDuckDb({ workDir }, async (connection) => {
          const scope = { deps, connection, run, node, workDir, index: chunk.index };
          const { counters, files } = await extractChunkFiles(scope, kernel, config, chunk);
          return completeChunk(deps, observability, connection, {
            run,
            node,
            index: chunk.index,
            path: await singleFile(scope, files),
            counters,
            startedAt,
          });
        }),
      );
    });
  });
  return withChainSteps(handler, {
    // Fused: the chunk goes straight into a table of the chain's connection when the kernel can;
    // otherwise its Parquet stays on local disk, read by the chain's next nodes through a view.
    extract: async (scope, chunk) => {
      const config = await parseNodeConfig(module, scope.node.id, scope.node.config);
      const table = nodeTable(scope.node.id);
      const direct = await extractChunkTable(scope, kernel, config, chunk, table);
      if (direct !== undefined) return { table, relation: 'table', counters: direct };
      const { counters, files } = await extractChunkFiles(scope, kernel, config, chunk);
      await scope.connection.run(`CREATE VIEW ${table} AS SELECT * FROM ${extractedRelation(files)}`);
      return { table, relation: 'view', counters };
    },
  });
}
