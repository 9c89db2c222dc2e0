/** The Lambda handler of every chunk-local transform: chunk in, kernel's SELECT, chunk out. */
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { putJson, uploadFile } from '../aws/s3-objects.ts';
import { rejectsKey } from '../chunks/ref.ts';
import { queryRows, setParameterVariables } from '../duckdb/engine.ts';
import { asDataErrors } from '../duckdb/errors.ts';
import { describeColumns } from '../duckdb/parquet.ts';
import { sqlIdent, sqlString } from '../duckdb/sql.ts';
import type { TransformKernel, TransformPlan, TransformPlanKernel } from '../modules/kernels.ts';
import type { ModuleDefinition } from '../modules/types.ts';
import type { RowCounters } from '../store/run-types.ts';
import { type ModuleHandler, materialize, nodeTable, type StepScope, withChainSteps } from './chain-steps.ts';
import { openChunkAsInput, produceChunk } from './chunk-io.ts';
import { type HandlerDeps, handlerDeps } from './deps.ts';
import { type ChunkResult, TransformEventSchema } from './events.ts';
import { runNodeTask } from './node-task.ts';
import { parseEvent, parseNodeConfig } from './parse-event.ts';
import { createObservability, withObservability } from './powertools.ts';

export function createTransformHandler<TSchema extends z.ZodType>(
  module: ModuleDefinition<TSchema>,
  kernel: TransformKernel<z.output<TSchema>> | TransformPlanKernel<z.output<TSchema>>,
): ModuleHandler<ChunkResult> {
  const observability = createObservability(`etl-${module.name}`);

  const handler = withObservability(
    observability,
    async (rawEvent: unknown, _context: Context): Promise<ChunkResult> => {
      const { run, node, chunk } = parseEvent(TransformEventSchema, rawEvent, module.name);
      const deps = handlerDeps(run.organization);

      return runNodeTask(deps, observability, run, node, async () => {
        const config = await parseNodeConfig(module, node.id, node.config);
        return produceChunk(
          deps,
          observability,
          { run, node, index: chunk.index },
          async ({ connection, workDir, write }) => {
            await openChunkAsInput(deps, connection, chunk, workDir);
            await setParameterVariables(connection, run.parameters);
            const scope = { deps, connection, run, node, workDir, index: chunk.index };
            return runTransformKernel(scope, kernel, config, chunk.rows, write);
          },
        );
      });
    },
  );
  return withChainSteps(handler, {
    // Fused: the output stays a table of the chain's connection; parameters are set once per chain.
    transform: async (scope, rowsIn) => {
      const config = await parseNodeConfig(module, scope.node.id, scope.node.config);
      const table = nodeTable(scope.node.id);
      const counters = await runTransformKernel(scope, kernel, config, rowsIn, (query) =>
        materialize(scope.connection, query, table),
      );
      return { table, relation: 'table', counters };
    },
  });
}

/**
 * Runs a transform kernel over the view `input` (`rowsIn` rows): `write`
 * stores its output (a file or a table) and returns the rows written; rejects
 * and the quality report go beside the chunk. Counted so that
 * rows in = out + rejected + filtered.
 */
async function runTransformKernel<TConfig>(
  scope: Pick<StepScope, 'deps' | 'connection' | 'run' | 'node' | 'workDir' | 'index'>,
  kernel: TransformKernel<TConfig> | TransformPlanKernel<TConfig>,
  config: TConfig,
  rowsIn: number,
  write: (query: string) => Promise<number>,
): Promise<RowCounters> {
  const { deps, connection, run, node, workDir, index } = scope;
  const inputColumns = await describeColumns(connection, 'input');
  const planned: string | TransformPlan = await kernel({ config, connection, inputColumns });
  const plan = typeof planned === 'string' ? { query: planned } : planned;
  const rowsOut = await asDataErrors(`chunk ${index}`, () => write(plan.query));
  const rowsRejected = await writeChunkSideFiles(deps, connection, {
    runId: run.runId,
    nodeId: node.id,
    index,
    workDir,
    plan,
  });
  const dropped = plan.droppedRows;
  const rowsFiltered =
    dropped === undefined
      ? rowsIn - rowsOut - rowsRejected
      : await asDataErrors(`chunk ${index}`, async () =>
          Number((await queryRows(connection, dropped))[0]?.n ?? 0),
        );
  return { rowsIn, rowsOut, rowsRejected, rowsFiltered };
}

/** `runs/<runId>/<nodeId>/quality/part-<n>.json`: one data-quality report per chunk. */
export function qualityKey(runId: string, nodeId: string, index: number): string {
  return `runs/${runId}/${nodeId}/quality/part-${String(index).padStart(5, '0')}.json`;
}

/**
 * Writes the plan's rejects (if any) and quality report; returns the number
 * of rejected rows. `sourceChunk` names a rejects column holding each row's
 * upstream chunk, for a barrier's bucket that mixes chunks (default: `index`).
 */
export async function writeChunkSideFiles(
  deps: HandlerDeps,
  connection: DuckDBConnection,
  args: {
    runId: string;
    nodeId: string;
    index: number;
    workDir: string;
    plan: Pick<TransformPlan, 'rejects' | 'quality'>;
    sourceChunk?: string;
  },
): Promise<number> {
  const { runId, nodeId, index, workDir, plan } = args;
  const bucket = deps.env.stagingBucket;
  if (plan.quality !== undefined)
    await putJson(deps.s3, bucket, qualityKey(runId, nodeId, index), plan.quality);
  if (plan.rejects === undefined) return 0;
  const path = join(workDir, 'rejects.parquet');
  const source =
    args.sourceChunk === undefined
      ? sqlString(`runs/${runId}/${nodeId} chunk ${index}`)
      : `${sqlString(`runs/${runId}/${nodeId} chunk `)} || CAST(${sqlIdent(args.sourceChunk)} AS VARCHAR)`;
  const rows = await asDataErrors(`chunk ${index} rejects`, async () => {
    await connection.run(
      `COPY (SELECT ${source} AS source, CAST(NULL AS BIGINT) AS line, CAST(record AS BIGINT) AS record, ` +
        'CAST(NULL AS BIGINT) AS byte_offset, CAST("column" AS VARCHAR) AS "column", CAST(error_type AS VARCHAR) AS error_type, ' +
        `CAST(reason AS VARCHAR) AS reason, CAST(raw AS VARCHAR) AS raw FROM (${plan.rejects}\n)) ` +
        `TO ${sqlString(path)} (FORMAT parquet, COMPRESSION zstd)`,
    );
    const [row] = await queryRows(connection, `SELECT count(*) AS n FROM read_parquet(${sqlString(path)})`);
    return Number(row?.n ?? 0);
  });
  if (rows > 0) await uploadFile(deps.s3, path, bucket, rejectsKey(runId, nodeId, index));
  return rows;
}
