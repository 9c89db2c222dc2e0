/**
 * Extracts one Scan segment: pages of items written as NDJSON (numbers as
 * their exact text, sets as arrays, binary as base64), then typed by DuckDB
 * into the chunk's Parquet file.
 */
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { type ChunkDescriptor, parseChunkDescriptor } from '../../../shared/chunks/ref.ts';
import { asDataErrors } from '../../../shared/duckdb/errors.ts';
import { writeParquet } from '../../../shared/duckdb/parquet.ts';
import { sqlString } from '../../../shared/duckdb/sql.ts';
import type { ConnectorIo, ExtractResult } from '../../../shared/modules/kernels.ts';
import type { DynamoDbExtractConfig } from './config.ts';
import { emptySegmentQuery, SegmentChunkSchema } from './plan.ts';
import { scanToNdjson } from './scan.ts';

export async function extractScan(
  config: DynamoDbExtractConfig,
  descriptor: ChunkDescriptor,
  io: ConnectorIo & { readonly connection: DuckDBConnection; readonly outputPath: string },
): Promise<ExtractResult> {
  const chunk = parseChunkDescriptor(SegmentChunkSchema, descriptor, 'DynamoDB segment');
  const path = join(io.workDir, 'segment.ndjson');
  const items = await scanToNdjson(config, chunk, path);
  if (items === 0) {
    // read_ndjson cannot infer columns from nothing: an empty segment takes the plan's sampled columns.
    const rowsOut = await writeParquet(io.connection, await emptySegmentQuery(io), io.outputPath);
    return { rowsIn: 0, rowsOut, rowsRejected: 0 };
  }
  const rowsOut = await asDataErrors(`typing segment ${chunk.segment} of table ${config.table}`, () =>
    writeParquet(
      io.connection,
      `SELECT * FROM read_ndjson(${sqlString(path)}, sample_size = -1, union_by_name = true)`,
      io.outputPath,
    ),
  );
  return { rowsIn: items, rowsOut, rowsRejected: 0 };
}
