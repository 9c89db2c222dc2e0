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
  ORDER_COLUMNS,
  shuffleBucketPrefix,
  shuffleFileKey,
  shufflePrefix,
  shuffleSchemaKey,
} from '../chunks/shuffle.ts';
import { withDuckDb } from '../duckdb/engine.ts';
import { asDataErrors } from '../duckdb/errors.ts';
import { describeColumns, writeParquet } from '../duckdb/parquet.ts';
import { sqlIdent, sqlString } from '../duckdb/sql.ts';
import { DataError, SourceNotFoundError } from '../errors.ts';
import type { BarrierKernel, ColumnInfo } from '../modules/kernels.ts';
import type { ModuleDefinition } from '../modules/types.ts';
import { completeChunk, openChunkAsInput } from './chunk-io.ts';
import { type HandlerDeps, handlerDeps } from './deps.ts';
import {
  BarrierPlanEventSchema,
  type ChunkResult,
  type LoadResult,
  type PlanResult,
  type ReduceEvent,
  ReduceEventSchema,
  type ShuffleEvent,
  ShuffleEventSchema,
} from './events.ts';
import { runNodeTask } from './node-task.ts';
import { parseEvent, parseNodeConfig } from './parse-event.ts';
import { planResult } from './plan-result.ts';
import {
  createObservability,
  type LambdaHandler,
  type Observability,
  withObservability,
} from './powertools.ts';
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
      const columns = await openChunkAsInput(deps, connection, chunk, workDir);
      // The key may use the order columns too (a plain union spreads rows by `_etl_chunk`).
      const key = kernel.partitionKey(config, input, columns);
      const bucket = key === undefined ? '0' : `(hash(${key}) % ${buckets})`;
      const order = `${chunk.index}::BIGINT AS _etl_chunk, row_number() OVER () AS _etl_row`;
      const outDir = join(workDir, 'shuffle');
      await mkdir(outDir, { recursive: true });
      await asDataErrors(`shuffling chunk ${chunk.index}`, () =>
        connection.run(
          `COPY (SELECT *, ${bucket} AS _etl_bucket FROM (SELECT *, ${order} FROM input)) TO ${sqlString(outDir)} ` +
            '(FORMAT parquet, COMPRESSION zstd, PARTITION_BY (_etl_bucket))',
        ),
      );
      const schemaPath = join(workDir, 'schema.parquet');
      await writeParquet(connection, `SELECT *, ${order} FROM input LIMIT 0`, schemaPath);
      await uploadFile(
        deps.s3,
        schemaPath,
        deps.env.stagingBucket,
        shuffleSchemaKey(run.runId, node.id, input),
      );

      const parts = new Map<number, number>();
      for (const path of chunk.rows > 0 ? await filesUnder(outDir) : []) {
        const bucketIndex = Number(/_etl_bucket=(\d+)/.exec(path)?.[1]);
        const part = parts.get(bucketIndex) ?? 0;
        parts.set(bucketIndex, part + 1);
        const target = shuffleFileKey(run.runId, node.id, input, bucketIndex, chunk.index, part);
        await uploadFile(deps.s3, path, deps.env.stagingBucket, target);
      }
      return { rows: chunk.rows };
    }),
  );
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
  event: ReduceEvent,
  workDir: string,
): Promise<ColumnInfo[][]> {
  const { run, node, chunk, inputs } = event;
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
      shuffleBucketPrefix(run.runId, node.id, input, chunk.index),
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
  const startedAt = performance.now();
  return withWorkDir((workDir) =>
    withDuckDb({ workDir }, async (connection) => {
      const inputColumns = await openBucketInputs(deps, connection, event, workDir);
      const rowsIn = await countRows(connection, event.inputs);
      const query = await kernel.reduce({ config, connection, inputColumns });
      // The order columns are the shuffle's bookkeeping, never output.
      const produced = await asDataErrors(`bucket ${chunk.index}`, () =>
        describeColumns(connection, `(${query})`),
      );
      const hidden = ORDER_COLUMNS.filter((name) => produced.some((column) => column.name === name));
      const output = hidden.length > 0 ? `SELECT * EXCLUDE (${hidden.join(', ')}) FROM (${query})` : query;
      const path = join(workDir, 'output.parquet');
      const rowsOut = await asDataErrors(`bucket ${chunk.index}`, () =>
        writeParquet(connection, output, path),
      );
      return completeChunk(deps, observability, connection, {
        run,
        node,
        index: chunk.index,
        path,
        counters: { rowsIn, rowsOut, rowsRejected: 0, rowsFiltered: rowsIn - rowsOut },
        startedAt,
      });
    }),
  );
}

export function createBarrierHandler<TSchema extends z.ZodType>(
  module: ModuleDefinition<TSchema>,
  kernel: BarrierKernel<z.output<TSchema>>,
): LambdaHandler<unknown, LoadResult | PlanResult | ChunkResult> {
  const observability = createObservability(`etl-${module.name}`);

  return withObservability(observability, async (rawEvent: unknown, _context: Context) => {
    const event = parseEvent(BarrierEventSchema, rawEvent, module.name);
    const deps = handlerDeps();
    const { run, node } = event;

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
}
