/** Moving chunks between the staging bucket and a local DuckDB. */
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { downloadToFile, uploadFile } from '../aws/s3-objects.ts';
import { formatS3Uri, parseS3Uri } from '../aws/s3-uri.ts';
import { type ChunkRef, stagingKey } from '../chunks/ref.ts';
import { describeColumns, readParquetRelation, schemaHash } from '../duckdb/parquet.ts';
import { sqlIdent } from '../duckdb/sql.ts';
import type { ColumnInfo, ConnectorIo } from '../modules/kernels.ts';
import type { RowCounters } from '../store/run-types.ts';
import { recordChunkMetrics } from './chunk-metrics.ts';
import type { HandlerDeps } from './deps.ts';
import type { ChunkResult, NodeRef, RunContext } from './events.ts';
import { elapsedMs } from './node-task.ts';
import type { Observability } from './powertools.ts';

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
