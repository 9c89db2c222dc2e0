/** Extracts one chunk of drained messages: the staged NDJSON typed by DuckDB into the chunk's Parquet file. */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { DuckDBConnection } from '@duckdb/node-api';
import { downloadToFile } from '../../../shared/aws/s3-objects.ts';
import { type ChunkDescriptor, parseChunkDescriptor } from '../../../shared/chunks/ref.ts';
import type { ConnectorIo, ExtractResult } from '../../../shared/modules/kernels.ts';
import { recordsToParquet, type SourceRecord } from '../record-files/write-records.ts';
import type { RabbitMqConfig } from './config.ts';
import { MessagesChunkSchema } from './plan.ts';

async function* readRecords(path: string): AsyncGenerator<SourceRecord> {
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    if (line !== '') yield JSON.parse(line) as SourceRecord;
  }
}

export async function extractMessages(
  config: RabbitMqConfig,
  descriptor: ChunkDescriptor,
  io: ConnectorIo & { readonly connection: DuckDBConnection; readonly outputPath: string },
): Promise<ExtractResult> {
  const chunk = parseChunkDescriptor(MessagesChunkSchema, descriptor, 'RabbitMQ messages');
  const path = join(io.workDir, 'messages.ndjson');
  await downloadToFile(io.s3, io.stagingBucket, chunk.key, path);
  const { rowsIn, rowsOut } = await recordsToParquet(
    readRecords(path),
    io,
    `messages of queue ${config.queue}`,
  );
  return { rowsIn, rowsOut, rowsRejected: 0 };
}
