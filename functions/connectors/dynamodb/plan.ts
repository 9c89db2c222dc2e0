/**
 * Plans a DynamoDB Scan: one chunk per segment. A sample of the table (one
 * page) is typed once and kept in the plan file, so a segment that happens
 * to hold no item still yields the table's columns, not a stray schema.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { readPlanFile, writePlanFile } from '../../../shared/chunks/plan-file.ts';
import { ChunkDescriptorSchema } from '../../../shared/chunks/ref.ts';
import { withDuckDb } from '../../../shared/duckdb/engine.ts';
import { describeColumns } from '../../../shared/duckdb/parquet.ts';
import { sqlIdent, sqlString } from '../../../shared/duckdb/sql.ts';
import type { ColumnInfo, ConnectorIo } from '../../../shared/modules/kernels.ts';
import { dynamoDbConnector, type TableKey } from './client.ts';
import { DYNAMODB_DEFAULTS, type DynamoDbExtractConfig } from './config.ts';
import { scanToNdjson } from './scan.ts';

export const SegmentChunkSchema = ChunkDescriptorSchema.extend({
  segment: z.int().min(0),
  totalSegments: z.int().min(1),
});
export type SegmentChunk = z.output<typeof SegmentChunkSchema>;

const KEY_TYPES: Readonly<Record<string, string>> = { S: 'VARCHAR', N: 'DOUBLE', B: 'VARCHAR' };

async function sampleColumns(
  config: DynamoDbExtractConfig,
  io: ConnectorIo,
  keys: readonly TableKey[],
): Promise<ColumnInfo[]> {
  const path = join(io.workDir, 'sample.ndjson');
  const items = await scanToNdjson(
    config,
    { segment: 0, totalSegments: 1 },
    path,
    DYNAMODB_DEFAULTS.sample_items,
  );
  if (items === 0) return keys.map((key) => ({ name: key.name, type: KEY_TYPES[key.type] ?? 'VARCHAR' }));
  return withDuckDb({ workDir: io.workDir }, (connection) =>
    describeColumns(connection, `read_ndjson(${sqlString(path)}, sample_size = -1)`),
  );
}

export async function planScan(
  config: DynamoDbExtractConfig,
  io: ConnectorIo,
  _chunkSizeBytes: number,
): Promise<SegmentChunk[]> {
  // Fails now, with the table's name, when it is missing or is the platform's own.
  const keys = await dynamoDbConnector().tableKeys(config.table);
  const columns = await sampleColumns(config, io, keys);
  await writePlanFile(io.s3, io.stagingBucket, io.run.runId, io.nodeId, { columns, settings: {} });
  return Array.from({ length: config.segments }, (_, segment) => ({
    index: segment,
    segment,
    totalSegments: config.segments,
  }));
}

/** A zero-row SELECT with the plan's sampled columns. */
export async function emptySegmentQuery(io: ConnectorIo): Promise<string> {
  const plan = await readPlanFile(io.s3, io.stagingBucket, io.run.runId, io.nodeId, io.workDir);
  const columns = plan.columns.map((column) => `NULL::${column.type} AS ${sqlIdent(column.name)}`);
  return `SELECT ${columns.join(', ')} LIMIT 0`;
}
