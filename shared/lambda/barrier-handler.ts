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
import { type ReduceBucket, ReduceBucketSchema, sourceBuckets } from '../chunks/reduce-buckets.ts';
import { type ChunkDescriptor, parseChunkDescriptor } from '../chunks/ref.ts';
import {
  HASH_SLOTS,
  INTERMEDIATE_COMPRESSION,
  ORDER_COLUMNS,
  SLOT_COLUMN,
  shuffleBucketPrefix,
  shuffleFileKey,
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
  resolveShuffleBuckets,
  type ShuffleEvent,
  ShuffleEventSchema,
} from './events.ts';
import { runNodeTask } from './node-task.ts';
import { parseEvent, parseNodeConfig } from './parse-event.ts';
import { createObservability, type Observability, withObservability } from './powertools.ts';
import { listShuffleFiles, planReduceBuckets } from './reduce-plan.ts';
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
  const { run, node, chunk, input } = event;
  const buckets = resolveShuffleBuckets(event.buckets, run);
  return withWorkDir((workDir) =>
    withDuckDb({ workDir }, async (connection) => {
      await openChunkAsInput(deps, connection, chunk, workDir);
      const scope = { deps, connection, run, node, workDir, index: chunk.index };
      await shuffleInput(scope, kernel, config, chunk.rows, { input, buckets });
      return { rows: chunk.rows };
    }),
  );
}

/** The key's hash, or a constant when the kernel has no key (every row meets in bucket 0). */
function keyHash(key: string | undefined): string {
  return key === undefined ? '0::UBIGINT' : `hash(${key})`;
}

/**
 * Spreads the view `input` (chunk `scope.index`, `rows` rows) over
 * `target.buckets` buckets in S3, each file also carrying its rows' slots
 * (see `SLOT_COLUMN`) so a reduce of another modulus can still split them.
 */
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
  const hash = keyHash(kernel.partitionKey(config, input, columns));
  const order = `${index}::BIGINT AS _etl_chunk, row_number() OVER () AS _etl_row`;
  const hashed = `SELECT *, ${hash} AS _etl_key_hash FROM (SELECT *, ${order} FROM input)`;
  const spread =
    `SELECT * EXCLUDE (_etl_key_hash), (_etl_key_hash % ${HASH_SLOTS})::UTINYINT AS ${SLOT_COLUMN}, ` +
    `_etl_key_hash % ${buckets} AS _etl_bucket FROM (${hashed})`;
  const outDir = join(workDir, 'shuffle');
  await mkdir(outDir, { recursive: true });
  await asDataErrors(`shuffling chunk ${index}`, () =>
    connection.run(
      `COPY (${spread}) TO ${sqlString(outDir)} ` +
        `(FORMAT parquet, COMPRESSION ${INTERMEDIATE_COMPRESSION}, PARTITION_BY (_etl_bucket))`,
    ),
  );
  const schemaPath = join(workDir, 'schema.parquet');
  await writeParquet(
    connection,
    `SELECT *, ${order}, 0::UTINYINT AS ${SLOT_COLUMN} FROM input LIMIT 0`,
    schemaPath,
  );
  await uploadFile(deps.s3, schemaPath, deps.env.stagingBucket, shuffleSchemaKey(run.runId, node.id, input));

  const parts = new Map<number, number>();
  for (const path of rows > 0 ? await filesUnder(outDir) : []) {
    const bucket = Number(/_etl_bucket=(\d+)/.exec(path)?.[1]);
    const part = parts.get(bucket) ?? 0;
    parts.set(bucket, part + 1);
    const key = shuffleFileKey(run.runId, node.id, { input, modulus: buckets, bucket, chunk: index, part });
    await uploadFile(deps.s3, path, deps.env.stagingBucket, key);
  }
}

async function planBuckets(
  deps: HandlerDeps,
  event: z.output<typeof BarrierPlanEventSchema>,
): Promise<PlanResult> {
  const files = await listShuffleFiles(deps, event.run.runId, event.node.id);
  return planReduceBuckets(deps, event, files);
}

/** Listings at a time: a reduce of a small modulus reads many source buckets of a large one. */
const PARALLEL_LISTINGS = 8;

/** The keys of every file under `prefixes`, in prefix order. */
async function keysUnder(deps: HandlerDeps, prefixes: readonly string[]): Promise<string[]> {
  const keys: string[][] = [];
  for (let start = 0; start < prefixes.length; start += PARALLEL_LISTINGS) {
    const batch = prefixes.slice(start, start + PARALLEL_LISTINGS);
    const listed = await Promise.all(
      batch.map((prefix) => listObjects(deps.s3, deps.env.stagingBucket, prefix)),
    );
    keys.push(...listed.map((objects) => objects.map((object) => object.key)));
  }
  return keys.flat();
}

/** One input's files a reduce bucket reads: those taken whole, and those to filter by slot. */
interface BucketFiles {
  readonly whole: string[];
  readonly filtered: string[];
}

async function bucketFilesOf(
  deps: HandlerDeps,
  at: { run: RunContext; node: NodeRef; input: number },
  bucket: ReduceBucket,
): Promise<BucketFiles> {
  const files: BucketFiles = { whole: [], filtered: [] };
  for (const modulus of bucket.moduli[at.input] ?? []) {
    const source = sourceBuckets(modulus, bucket.buckets, bucket.index);
    const prefixes = source.buckets.map((sourceBucket) =>
      shuffleBucketPrefix(at.run.runId, at.node.id, { input: at.input, modulus, bucket: sourceBucket }),
    );
    (source.filter ? files.filtered : files.whole).push(...(await keysUnder(deps, prefixes)));
  }
  return files;
}

/** Downloads `keys` into `dir` as `part-<first + i>.parquet`; returns the local paths in key order. */
async function downloadInto(
  deps: HandlerDeps,
  keys: readonly string[],
  dir: string,
  first: number,
): Promise<string[]> {
  const paths: string[] = [];
  for (const [offset, key] of keys.entries()) {
    const path = join(dir, `part-${first + offset}.parquet`);
    await downloadToFile(deps.s3, deps.env.stagingBucket, key, path);
    paths.push(path);
  }
  return paths;
}

/** The rows of reduce bucket `bucket.index` in local files: whole files, and files holding other buckets' rows too. */
function bucketRowsQuery(
  whole: readonly string[],
  filtered: readonly string[],
  bucket: ReduceBucket,
): string {
  const read = (paths: readonly string[]) =>
    `SELECT * EXCLUDE (${SLOT_COLUMN}) FROM read_parquet([${paths.map(sqlString).join(', ')}], union_by_name = true)`;
  const parts = [read(whole)];
  if (filtered.length > 0) {
    parts.push(`${read(filtered)} WHERE ${SLOT_COLUMN} % ${bucket.buckets} = ${bucket.index}`);
  }
  return parts.join(' UNION ALL BY NAME ');
}

/** Creates `input_<i>` over a bucket's rows of input i (plus its schema file) and `input` as `input_0`. */
async function openBucketInputs(
  deps: HandlerDeps,
  connection: DuckDBConnection,
  at: { run: RunContext; node: NodeRef; inputs: number },
  bucket: ReduceBucket,
  workDir: string,
): Promise<ColumnInfo[][]> {
  const { run, node, inputs } = at;
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
    const keys = await bucketFilesOf(deps, { run, node, input }, bucket);
    const whole = await downloadInto(deps, keys.whole, dir, 0);
    const filtered = await downloadInto(deps, keys.filtered, dir, whole.length);
    // The schema file keeps the view's columns when this bucket got no rows of the input.
    await connection.run(
      `CREATE VIEW ${sqlIdent(`input_${input}`)} AS ${bucketRowsQuery([schemaPath, ...whole], filtered, bucket)}`,
    );
    columns.push(await describeColumns(connection, sqlIdent(`input_${input}`)));
  }
  await connection.run('CREATE VIEW input AS SELECT * FROM input_0');
  return columns;
}

/** A reduce task's descriptor, from the barrier's plan. */
function reduceBucketOf(chunk: ChunkDescriptor): ReduceBucket {
  return parseChunkDescriptor(ReduceBucketSchema, chunk, 'reduce bucket');
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
        { bucket: reduceBucketOf(chunk), inputs: event.inputs },
        write,
      ),
  );
}

/**
 * Downloads reduce bucket `bucket` of every input and runs the kernel's
 * reduce over them; `write` stores the output (a file or a table).
 */
async function reduceInputs<TConfig>(
  scope: Pick<StepScope, 'deps' | 'connection' | 'run' | 'node' | 'workDir' | 'index'>,
  kernel: BarrierKernel<TConfig>,
  config: TConfig,
  task: { bucket: ReduceBucket; inputs: number },
  write: (query: string) => Promise<number>,
): Promise<RowCounters> {
  const { deps, connection, run, node, workDir, index } = scope;
  const { inputs } = task;
  const inputColumns = await openBucketInputs(deps, connection, { run, node, inputs }, task.bucket, workDir);
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
    reduce: async (scope, bucket, inputs) => {
      const config = await parseNodeConfig(module, scope.node.id, scope.node.config);
      const table = nodeTable(scope.node.id);
      const task = { bucket: reduceBucketOf(bucket), inputs };
      const counters = await reduceInputs(scope, kernel, config, task, (query) =>
        materialize(scope.connection, query, table),
      );
      return { table, relation: 'table', counters };
    },
  });
}
