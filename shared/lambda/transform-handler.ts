/** The Lambda handler of every chunk-local transform: chunk in, kernel's SELECT, chunk out. */
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { setParameterVariables, withDuckDb } from '../duckdb/engine.ts';
import { asDataErrors } from '../duckdb/errors.ts';
import { writeParquet } from '../duckdb/parquet.ts';
import type { TransformKernel } from '../modules/kernels.ts';
import type { ModuleDefinition } from '../modules/types.ts';
import { openChunkAsInput, publishChunk } from './chunk-io.ts';
import { recordChunkMetrics } from './chunk-metrics.ts';
import { handlerDeps } from './deps.ts';
import { type ChunkResult, TransformEventSchema } from './events.ts';
import { elapsedMs, runNodeTask } from './node-task.ts';
import { parseEvent, parseNodeConfig } from './parse-event.ts';
import { createObservability, type LambdaHandler, withObservability } from './powertools.ts';
import { withWorkDir } from './work-dir.ts';

export function createTransformHandler<TSchema extends z.ZodType>(
  module: ModuleDefinition<TSchema>,
  kernel: TransformKernel<z.output<TSchema>>,
): LambdaHandler<unknown, ChunkResult> {
  const observability = createObservability(`etl-${module.name}`);

  return withObservability(
    observability,
    async (rawEvent: unknown, _context: Context): Promise<ChunkResult> => {
      const { run, node, chunk } = parseEvent(TransformEventSchema, rawEvent, module.name);
      const deps = handlerDeps();

      return runNodeTask(deps, observability, run, node, async () => {
        const startedAt = performance.now();
        const config = await parseNodeConfig(module, node.id, node.config);
        return withWorkDir((workDir) =>
          withDuckDb({ workDir }, async (connection) => {
            const inputColumns = await openChunkAsInput(deps, connection, chunk, workDir);
            await setParameterVariables(connection, run.parameters);
            const query = await kernel({ config, connection, inputColumns });
            const path = join(workDir, 'output.parquet');
            const rowsOut = await asDataErrors(`chunk ${chunk.index}`, () =>
              writeParquet(connection, query, path),
            );
            const ref = await publishChunk(deps, connection, {
              runId: run.runId,
              nodeId: node.id,
              index: chunk.index,
              path,
              rows: rowsOut,
            });
            await recordChunkMetrics(deps, observability, run, node, {
              chunkIndex: chunk.index,
              rowsIn: chunk.rows,
              rowsOut,
              rowsRejected: 0,
              rowsFiltered: chunk.rows - rowsOut,
              durationMs: elapsedMs(startedAt),
              bytesOut: ref.bytes,
            });
            return { run, chunk: ref };
          }),
        );
      });
    },
  );
}
