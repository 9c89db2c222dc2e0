/**
 * One broadcast join task: one upstream chunk of the stream input joined
 * against the whole broadcast input, with the same SQL as a bucket's reduce,
 * so rows and their order match the shuffle join's.
 *
 * Counters cover the stream chunk only (rows in, and its unmatched rows the
 * join drops). The broadcast input's rows are counted once, by the settle
 * step, from the row ids each task matched (written beside the plan).
 */
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { uploadFile } from '../../../shared/aws/s3-objects.ts';
import { broadcastMatchedKey, ORDER_COLUMNS } from '../../../shared/chunks/shuffle.ts';
import { queryRows } from '../../../shared/duckdb/engine.ts';
import { asDataErrors } from '../../../shared/duckdb/errors.ts';
import { describeColumns, writeParquet } from '../../../shared/duckdb/parquet.ts';
import { sqlIdent } from '../../../shared/duckdb/sql.ts';
import { InvalidEventError } from '../../../shared/errors.ts';
import type { StepScope } from '../../../shared/lambda/chain-steps.ts';
import type { ColumnInfo } from '../../../shared/modules/kernels.ts';
import type { RowCounters } from '../../../shared/store/run-types.ts';
import { allShuffleFiles, chunkShuffleFiles, openShuffledInput } from './broadcast-files.ts';
import type { BroadcastTask } from './broadcast-plan.ts';
import { dropsUnmatched, joinKernel, matchedRowIds, unmatchedRows } from './kernel.ts';
import type { JoinConfig } from './module.ts';
import { broadcastSides } from './strategy.ts';

type TaskScope = Pick<StepScope, 'deps' | 'connection' | 'run' | 'node' | 'workDir'>;

async function count(connection: DuckDBConnection, query: string, where: string): Promise<number> {
  return asDataErrors(where, async () => Number((await queryRows(connection, query))[0]?.n ?? 0));
}

/** Opens `input_0` and `input_1` (stream chunk and whole broadcast input) and `input`. */
async function openTaskInputs(
  scope: TaskScope,
  config: JoinConfig,
  task: BroadcastTask,
): Promise<ColumnInfo[][]> {
  const { deps, connection, run, node, workDir } = scope;
  const sides = broadcastSides(config.type);
  if (sides === undefined) {
    throw new InvalidEventError(
      `a ${config.type} join cannot broadcast, yet node ${node.id} got a broadcast task`,
    );
  }
  const stream = { runId: run.runId, nodeId: node.id, input: sides.stream };
  const broadcast = { runId: run.runId, nodeId: node.id, input: sides.broadcast };
  const columns: ColumnInfo[][] = [];
  columns[sides.stream] = await openShuffledInput(
    deps,
    connection,
    stream,
    chunkShuffleFiles(stream, task.broadcast.chunk, task.broadcast.files),
    workDir,
  );
  columns[sides.broadcast] = await openShuffledInput(
    deps,
    connection,
    broadcast,
    await allShuffleFiles(deps, broadcast),
    workDir,
  );
  await connection.run('CREATE VIEW input AS SELECT * FROM input_0');
  return columns;
}

/** Runs the task; `write` stores the output query (a file or a table) and returns its rows. */
export async function reduceBroadcastTask(
  scope: TaskScope,
  config: JoinConfig,
  task: BroadcastTask,
  write: (query: string) => Promise<number>,
): Promise<RowCounters> {
  const { deps, connection, run, node, workDir } = scope;
  const where = `broadcast task ${task.index} (chunk ${task.broadcast.chunk})`;
  const inputColumns = await openTaskInputs(scope, config, task);
  const { stream, broadcast } = broadcastSides(config.type) ?? { stream: 0, broadcast: 1 };

  const reduced = await joinKernel.reduce({ config, connection, inputColumns });
  // A join rejects nothing: its reduce is always a bare SELECT.
  const query = typeof reduced === 'string' ? reduced : reduced.query;
  const produced = await asDataErrors(where, () => describeColumns(connection, `(${query})`));
  const hidden = ORDER_COLUMNS.filter((name) => produced.some((column) => column.name === name));
  const output = hidden.length > 0 ? `SELECT * EXCLUDE (${hidden.join(', ')}) FROM (${query})` : query;
  const rowsOut = await asDataErrors(where, () => write(output));

  const rowsIn = await count(
    connection,
    `SELECT count(*)::BIGINT AS n FROM ${sqlIdent(`input_${stream}`)}`,
    where,
  );
  const rowsFiltered = dropsUnmatched(config.type, stream)
    ? await count(connection, `SELECT ${unmatchedRows(config, inputColumns, stream)}::BIGINT AS n`, where)
    : 0;

  const matchedPath = join(workDir, 'matched.parquet');
  await asDataErrors(where, () =>
    writeParquet(connection, matchedRowIds(config, inputColumns, broadcast), matchedPath),
  );
  await uploadFile(
    deps.s3,
    matchedPath,
    deps.env.stagingBucket,
    broadcastMatchedKey(run.runId, node.id, task.index),
  );
  return { rowsIn, rowsOut, rowsRejected: 0, rowsFiltered };
}
