/**
 * The Lambda handler of every barrier transform: `shuffle` spreads one
 * upstream chunk over hash buckets, `plan` lists the non-empty buckets, and
 * `reduce` turns one bucket of every input into one output chunk.
 */
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { downloadToFile, listObjects, uploadFile } from '../aws/s3-objects.ts';
import {
  bucketOfShuffleKey,
  INTERMEDIATE_COMPRESSION,
  ORDER_COLUMNS,
  shuffleBucketPrefix,
  shuffleFileKey,
  shufflePrefix,
  shuffleSchemaKey,
} from '../chunks/shuffle.ts';
import { queryRows, withDuckDb } from '../duckdb/engine.ts';
import { asDataErrors } from '../duckdb/errors.ts';
import { describeColumns, writeParquet } from '../duckdb/parquet.ts';
import { sqlIdent, sqlString } from '../duckdb/sql.ts';
import { DataError, SourceNotFoundError } from '../errors.ts';
import type { BarrierKernel, BarrierPlan, ColumnInfo } from '../modules/kernels.ts';
import type { ModuleDefinition } from '../modules/types.ts';
import type { RowCounters } from '../store/run-types.ts';
import {
  type ModuleHandler,
  materialize,
  nodeTable,
  type ShuffleTargetArgs,
  type StepScope,
  withChainSteps,
} from './chain-steps.ts';
import { openChunkAsInput, produceChunk } from './chunk-io.ts';
import { type HandlerDeps, handlerDeps } from './deps.ts';
import {
  BarrierPlanEventSchema,
  type ChunkResult,
  type LoadResult,
  type NodeRef,
  type PlanResult,
  type ReduceEvent,
  ReduceEventSchema,
  type RunContext,
  type ShuffleEvent,
  ShuffleEventSchema,
} from './events.ts';
import { runNodeTask } from './node-task.ts';
import { parseEvent, parseNodeConfig } from './parse-event.ts';
import { planResult } from './plan-result.ts';
import { createObservability, type Observability, withObservability } from './powertools.ts';
import { writeChunkSideFiles } from './transform-handler.ts';
import { withWorkDir } from './work-dir.ts';

const BarrierEventSchema = z.discriminatedUnion('action', [
  ShuffleEventSchema,
  BarrierPlanEventSchema,
  ReduceEventSchema,
]);

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

async function shuffleChunk<TConfig>(
  deps: HandlerDeps,
  kernel: BarrierKernel<TConfig>,
  config: TConfig,
  event: ShuffleEvent,
): Promise<LoadResult> {
  const { run, node, chunk, input, buckets } = event;
  return withWorkDir((workDir) =>
    withDuckDb({ workDir }, async (connection) => {
      await openChunkAsInput(deps, connection, chunk, workDir);
      const scope = { deps, connection, run, node, workDir, index: chunk.index };
      await shuffleInput(scope, kernel, config, chunk.rows, { input, buckets });
      return { rows: chunk.rows };
    }),
  );
}

/** Spreads the view `input` (chunk `scope.index`, `rows` rows) over the barrier's buckets in S3. */
async function shuffleInput<TConfig>(
  scope: Pick<StepScope, 'deps' | 'connection' | 'run' | 'node' | 'workDir' | 'index'>,
  kernel: BarrierKernel<TConfig>,
  config: TConfig,
  rows: number,
  target: ShuffleTargetArgs,
): Promise<void> {
  const { deps, connection, run, node, workDir, index } = scope;
  const { input, buckets } = target;
  const columns = await describeColumns(connection, 'input');
  // The key may use the order columns too (a plain union spreads rows by `_etl_chunk`).
  const key = kernel.partitionKey(config, input, columns);
  const bucket = key === undefined ? '0' : `(hash(${key}) % ${buckets})`;
  const order = `${index}::BIGINT AS _etl_chunk, row_number() OVER () AS _etl_row`;
  const outDir = join(workDir, 'shuffle');
  await mkdir(outDir, { recursive: true });
  await asDataErrors(`shuffling chunk ${index}`, () =>
    connection.run(
      `COPY (SELECT *, ${bucket} AS _etl_bucket FROM (SELECT *, ${order} FROM input)) TO ${sqlString(outDir)} ` +
        `(FORMAT parquet, COMPRESSION ${INTERMEDIATE_COMPRESSION}, PARTITION_BY (_etl_bucket))`,
    ),
  );
  const schemaPath = join(workDir, 'schema.parquet');
  await writeParquet(connection, `SELECT *, ${order} FROM input LIMIT 0`, schemaPath);
  await uploadFile(deps.s3, schemaPath, deps.env.stagingBucket, shuffleSchemaKey(run.runId, node.id, input));

  const parts = new Map<number, number>();
  for (const path of rows > 0 ? await filesUnder(outDir) : []) {
    const bucketIndex = Number(/_etl_bucket=(\d+)/.exec(path)?.[1]);
    const part = parts.get(bucketIndex) ?? 0;
    parts.set(bucketIndex, part + 1);
    const key = shuffleFileKey(run.runId, node.id, input, bucketIndex, index, part);
    await uploadFile(deps.s3, path, deps.env.stagingBucket, key);
  }
}

async function planBuckets(
  deps: HandlerDeps,
  event: z.output<typeof BarrierPlanEventSchema>,
): Promise<PlanResult> {
  const keys = await listObjects(
    deps.s3,
    deps.env.stagingBucket,
    shufflePrefix(event.run.runId, event.node.id),
  );
  const buckets = new Set(
    keys.map((object) => bucketOfShuffleKey(object.key)).filter((b) => b !== undefined),
  );
  const chunks = [...buckets].sort((a, b) => a - b).map((index) => ({ index }));
  return planResult(deps, event.run, event.node.id, chunks, event.inlineChunkLimit);
}

/** Creates `input_<i>` over a bucket's files of input i (plus its schema file) and `input` as `input_0`. */
async function openBucketInputs(
  deps: HandlerDeps,
  connection: DuckDBConnection,
  bucket: { run: RunContext; node: NodeRef; index: number; inputs: number },
  workDir: string,
): Promise<ColumnInfo[][]> {
  const { run, node, index, inputs } = bucket;
  const columns: ColumnInfo[][] = [];
  for (let input = 0; input < inputs; input++) {
    const dir = join(workDir, `in-${input}`);
    await mkdir(dir, { recursive: true });
    const schemaPath = join(dir, 'schema.parquet');
    await downloadToFile(
      deps.s3,
      deps.env.stagingBucket,
      shuffleSchemaKey(run.runId, node.id, input),
      schemaPath,
    ).catch((error: unknown) => {
      if (!(error instanceof SourceNotFoundError)) throw error;
      throw new DataError(`input ${input} of ${node.id} produced no chunks, so it has no columns to read`, {
        cause: error,
      });
    });
    const paths = [schemaPath];
    const objects = await listObjects(
      deps.s3,
      deps.env.stagingBucket,
      shuffleBucketPrefix(run.runId, node.id, input, index),
    );
    for (const [index, object] of objects.entries()) {
      const path = join(dir, `part-${index}.parquet`);
      await downloadToFile(deps.s3, deps.env.stagingBucket, object.key, path);
      paths.push(path);
    }
    await connection.run(
      `CREATE VIEW ${sqlIdent(`input_${input}`)} AS SELECT * FROM read_parquet([${paths.map(sqlString).join(', ')}], union_by_name = true)`,
    );
    columns.push(await describeColumns(connection, sqlIdent(`input_${input}`)));
  }
  await connection.run('CREATE VIEW input AS SELECT * FROM input_0');
  return columns;
}

async function countRows(connection: DuckDBConnection, inputs: number): Promise<number> {
  let rows = 0;
  for (let input = 0; input < inputs; input++) {
    const reader = await connection.runAndReadAll(
      `SELECT count(*)::BIGINT AS n FROM ${sqlIdent(`input_${input}`)}`,
    );
    rows += Number(reader.getRowObjectsJson()[0]?.n ?? 0);
  }
  return rows;
}

async function reduceBucket<TConfig>(
  deps: HandlerDeps,
  observability: Observability,
  kernel: BarrierKernel<TConfig>,
  config: TConfig,
  event: ReduceEvent,
): Promise<ChunkResult> {
  const { run, node, chunk } = event;
  return produceChunk(
    deps,
    observability,
    { run, node, index: chunk.index },
    ({ connection, workDir, write }) =>
      reduceInputs(
        { deps, connection, run, node, workDir, index: chunk.index },
        kernel,
        config,
        event.inputs,
        write,
      ),
  );
}

/**
 * Downloads bucket `scope.index` of every input and runs the kernel's reduce
 * over them; `write` stores the output (a file or a table).
 */
async function reduceInputs<TConfig>(
  scope: Pick<StepScope, 'deps' | 'connection' | 'run' | 'node' | 'workDir' | 'index'>,
  kernel: BarrierKernel<TConfig>,
  config: TConfig,
  inputs: number,
  write: (query: string) => Promise<number>,
): Promise<RowCounters> {
  const { deps, connection, run, node, workDir, index } = scope;
  const inputColumns = await openBucketInputs(deps, connection, { run, node, index, inputs }, workDir);
  const rowsIn = await countRows(connection, inputs);
  const reduced = await kernel.reduce({ config, connection, inputColumns });
  const plan: BarrierPlan = typeof reduced === 'string' ? { query: reduced } : reduced;
  const { query } = plan;
  // The order columns are the shuffle's bookkeeping, never output.
  const produced = await asDataErrors(`bucket ${index}`, () => describeColumns(connection, `(${query})`));
  const hidden = ORDER_COLUMNS.filter((name) => produced.some((column) => column.name === name));
  const output = hidden.length > 0 ? `SELECT * EXCLUDE (${hidden.join(', ')}) FROM (${query})` : query;
  const rowsOut = await asDataErrors(`bucket ${index}`, () => write(output));
  // Rejects and quality reports go beside the bucket, each reject naming its upstream chunk.
  const rowsRejected = await writeChunkSideFiles(deps, connection, {
    runId: run.runId,
    nodeId: node.id,
    index,
    workDir,
    plan,
    sourceChunk: '_etl_chunk',
  });
  // A join may multiply rows: it counts as filtered only the unmatched rows its type drops.
  const dropped = await kernel.droppedRows?.({ config, connection, inputColumns });
  const rowsFiltered =
    dropped === undefined
      ? rowsIn - rowsOut - rowsRejected
      : await asDataErrors(`bucket ${index}`, async () =>
          Number((await queryRows(connection, dropped))[0]?.n ?? 0),
        );
  return { rowsIn, rowsOut, rowsRejected, rowsFiltered };
}

export function createBarrierHandler<TSchema extends z.ZodType>(
  module: ModuleDefinition<TSchema>,
  kernel: BarrierKernel<z.output<TSchema>>,
): ModuleHandler<LoadResult | PlanResult | ChunkResult> {
  const observability = createObservability(`etl-${module.name}`);

  const handler = withObservability(observability, async (rawEvent: unknown, _context: Context) => {
    const event = parseEvent(BarrierEventSchema, rawEvent, module.name);
    const { run, node } = event;
    const deps = handlerDeps(run.organization);

    return runNodeTask(deps, observability, run, node, async () => {
      const config = await parseNodeConfig(module, node.id, node.config);
      if (event.action === 'shuffle') {
        const result = await shuffleChunk(deps, kernel, config, event);
        observability.metrics.addDimensions({ pipeline: run.pipelineId, node: node.id });
        observability.metrics.addMetric('RowsShuffled', MetricUnit.Count, result.rows);
        return result;
      }
      if (event.action === 'plan') {
        const result = await planBuckets(deps, event);
        observability.metrics.addDimensions({ pipeline: run.pipelineId, node: node.id });
        observability.metrics.addMetric('ChunksPlanned', MetricUnit.Count, result.chunks.length);
        return result;
      }
      return reduceBucket(deps, observability, kernel, config, event);
    });
  });
  return withChainSteps(handler, {
    shuffle: async (scope, rowsIn, target) => {
      const config = await parseNodeConfig(module, scope.node.id, scope.node.config);
      await shuffleInput(scope, kernel, config, rowsIn, target);
    },
    reduce: async (scope, _bucket, inputs) => {
      const config = await parseNodeConfig(module, scope.node.id, scope.node.config);
      const table = nodeTable(scope.node.id);
      const counters = await reduceInputs(scope, kernel, config, inputs, (query) =>
        materialize(scope.connection, query, table),
      );
      return { table, relation: 'table', counters };
    },
  });
}
