/** Moving chunks between the staging bucket and a local DuckDB. */
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { downloadToFile, uploadFile } from '../aws/s3-objects.ts';
import { formatS3Uri, parseS3Uri } from '../aws/s3-uri.ts';
import { type ChunkRef, stagingKey } from '../chunks/ref.ts';
import { withDuckDb } from '../duckdb/engine.ts';
import { describeColumns, readParquetRelation, schemaHash, writeParquet } from '../duckdb/parquet.ts';
import { sqlIdent } from '../duckdb/sql.ts';
import type { ColumnInfo, ConnectorIo } from '../modules/kernels.ts';
import type { RowCounters } from '../store/run-types.ts';
import { recordChunkMetrics } from './chunk-metrics.ts';
import type { HandlerDeps } from './deps.ts';
import type { ChunkResult, NodeRef, RunContext } from './events.ts';
import { elapsedMs } from './node-task.ts';
import type { Observability } from './powertools.ts';
import { withWorkDir } from './work-dir.ts';

/** Downloads a chunk and exposes it as the view `input`; returns its columns. */
export async function openChunkAsInput(
  deps: HandlerDeps,
  connection: DuckDBConnection,
  chunk: ChunkRef,
  workDir: string,
): Promise<ColumnInfo[]> {
  const path = join(workDir, 'input.parquet');
  const { bucket, key } = parseS3Uri(chunk.uri);
  await downloadToFile(deps.s3, bucket, key, path);
  await connection.run(`CREATE VIEW ${sqlIdent('input')} AS SELECT * FROM ${readParquetRelation(path)}`);
  return describeColumns(connection, 'input');
}

/** Uploads a node's output chunk to its deterministic staging key and describes it. */
export async function publishChunk(
  deps: HandlerDeps,
  connection: DuckDBConnection,
  args: { runId: string; nodeId: string; index: number; path: string; rows: number },
): Promise<ChunkRef> {
  const columns = await describeColumns(connection, readParquetRelation(args.path));
  const key = stagingKey(args.runId, args.nodeId, args.index);
  const bytes = await uploadFile(deps.s3, args.path, deps.env.stagingBucket, key);
  return {
    index: args.index,
    uri: formatS3Uri(deps.env.stagingBucket, key),
    rows: args.rows,
    bytes,
    schemaHash: schemaHash(columns),
  };
}

/** The last step of every chunk task: publish the output chunk and record its counters. */
export async function completeChunk(
  deps: HandlerDeps,
  observability: Observability,
  connection: DuckDBConnection,
  args: {
    readonly run: RunContext;
    readonly node: NodeRef;
    readonly index: number;
    readonly path: string;
    readonly counters: RowCounters;
    readonly startedAt: number;
  },
): Promise<ChunkResult> {
  const { run, node, index, path, counters } = args;
  const ref = await publishChunk(deps, connection, {
    runId: run.runId,
    nodeId: node.id,
    index,
    path,
    rows: counters.rowsOut,
  });
  await recordChunkMetrics(deps, observability, run, node, {
    chunkIndex: index,
    ...counters,
    durationMs: elapsedMs(args.startedAt),
    bytesOut: ref.bytes,
  });
  return { run, chunk: ref };
}

/** What a chunk task's work is given: its DuckDB, its scratch folder, and the writer of its output. */
export interface ChunkOutputFrame {
  readonly connection: DuckDBConnection;
  readonly workDir: string;
  /** Writes the query's rows as the chunk's output; returns how many. */
  readonly write: (query: string) => Promise<number>;
}

/**
 * A chunk task that produces one output chunk (a transform's chunk, a
 * barrier's bucket, a broadcast join's task): a scratch folder and a DuckDB
 * for `produce`, which writes the output through `write` and returns the
 * counters; then the chunk is published and its counters recorded.
 */
export function produceChunk(
  deps: HandlerDeps,
  observability: Observability,
  target: { readonly run: RunContext; readonly node: NodeRef; readonly index: number },
  produce: (frame: ChunkOutputFrame) => Promise<RowCounters>,
): Promise<ChunkResult> {
  const startedAt = performance.now();
  return withWorkDir((workDir) =>
    withDuckDb({ workDir }, async (connection) => {
      const path = join(workDir, 'output.parquet');
      const counters = await produce({
        connection,
        workDir,
        write: (query) => writeParquet(connection, query, path),
      });
      return completeChunk(deps, observability, connection, { ...target, path, counters, startedAt });
    }),
  );
}

/** What every connector kernel is handed besides its scratch folder: S3, the run and its staging area. */
export function connectorIo(deps: HandlerDeps, run: RunContext, node: NodeRef): Omit<ConnectorIo, 'workDir'> {
  return {
    s3: deps.s3,
    parameters: run.parameters,
    run,
    nodeId: node.id,
    stagingBucket: deps.env.stagingBucket,
  };
}
