/**
 * The `dynamodb-load` loader's exactly-once effect. Chunks only stage their
 * rows (after checking every row has the table's key), so a run that fails
 * before Finalize leaves the table untouched; Finalize writes every staged
 * row with BatchWriteItem puts in chunk order. A put is keyed by the table's
 * key attributes, so a retried Finalize writes the same items again and the
 * table ends the same: idempotent without markers.
 */

import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { DuckDBConnection } from '@duckdb/node-api';
import { describeColumns } from '../../../shared/duckdb/parquet.ts';
import { sqlIdent } from '../../../shared/duckdb/sql.ts';
import { ConfigError, DataError } from '../../../shared/errors.ts';
import type { CommitResult, ConnectorIo, StagedLoad } from '../../../shared/modules/kernels.ts';
import { listStagedChunks, replayChunk } from '../staged-rows/replay.ts';
import { stageRows } from '../staged-rows/stage.ts';
import { dynamoDbConnector, type TableKey } from './client.ts';
import { DYNAMODB_DEFAULTS, type DynamoDbLoadConfig } from './config.ts';
import { dynamoDbError } from './errors.ts';
import { type Item, keyOf, toItem } from './items.ts';
import { type PutRequests, unprocessedPuts, writeBatchWithRetries } from './write-batch.ts';

type StageIo = ConnectorIo & { readonly connection: DuckDBConnection; readonly stagingPrefix: string };

/** Fails the chunk (not Finalize) when a key column is missing or empty, naming the first bad row. */
async function checkKeys(io: StageIo, keys: readonly TableKey[], table: string): Promise<void> {
  const columns = await describeColumns(io.connection, 'input');
  const missing = keys.filter((key) => !columns.some((column) => column.name === key.name));
  if (missing.length > 0) {
    throw new ConfigError(
      `table ${table} is keyed by ${keys.map((key) => key.name).join(', ')} but the input has no ${missing.map((key) => key.name).join(', ')}; its columns: ${columns.map((column) => column.name).join(', ')}`,
    );
  }
  for (const key of keys) {
    const reader = await io.connection.runAndReadAll(
      `SELECT row_number FROM (SELECT row_number() OVER () AS row_number, ${sqlIdent(key.name)} AS k FROM input) WHERE k IS NULL LIMIT 1`,
    );
    const [row] = reader.getRowObjectsJson();
    if (row !== undefined) {
      throw new DataError(
        `row ${String(row.row_number)} of the chunk has no ${key.name}, a key attribute of table ${table}`,
      );
    }
  }
}

export async function stageDynamoDb(config: DynamoDbLoadConfig, io: StageIo): Promise<StagedLoad> {
  const keys = await dynamoDbConnector().tableKeys(config.table);
  await checkKeys(io, keys, config.table);
  return stageRows(io);
}

export async function commitDynamoDb(
  config: DynamoDbLoadConfig,
  io: ConnectorIo & { readonly stagingPrefix: string },
): Promise<CommitResult> {
  const connector = dynamoDbConnector();
  const keys = await connector.tableKeys(config.table);
  const send = async (requests: PutRequests): Promise<PutRequests> => {
    const answer = await connector.documents
      .send(new BatchWriteCommand({ RequestItems: { [config.table]: requests } }))
      .catch((error: unknown) => {
        throw dynamoDbError(error, `writing ${requests.length} items to table ${config.table}`);
      });
    return unprocessedPuts(answer.UnprocessedItems, config.table);
  };
  const write = (requests: PutRequests) =>
    writeBatchWithRetries(send, requests, { table: config.table, maxAttempts: config.max_attempts });

  let rows = 0;
  let batches = 0;
  for (const chunk of await listStagedChunks(io.s3, io.stagingBucket, io.stagingPrefix)) {
    for await (const staged of replayChunk(io.s3, io.stagingBucket, chunk, DYNAMODB_DEFAULTS.batch_size)) {
      // BatchWriteItem refuses two writes of one key in a request: the later row goes in the next one.
      let requests: PutRequests = [];
      let inBatch = new Set<string>();
      for (const [offset, line] of staged.lines.entries()) {
        const item: Item = toItem(line, keys, `chunk ${chunk.chunk}, row ${staged.firstRow + offset + 1}`);
        const key = keyOf(item, keys);
        if (inBatch.has(key)) {
          await write(requests);
          batches++;
          requests = [];
          inBatch = new Set();
        }
        inBatch.add(key);
        requests.push({ PutRequest: { Item: item } });
      }
      if (requests.length > 0) {
        await write(requests);
        batches++;
      }
      rows += staged.lines.length;
    }
  }
  return { files: batches, rows, destination: `dynamodb://${config.table}` };
}
