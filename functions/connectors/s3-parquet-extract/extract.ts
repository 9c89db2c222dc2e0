/**
 * Extracts one chunk of row groups: only their bytes and the footer are
 * fetched into a sparse copy of the file; the `file_row_number` filter makes
 * DuckDB read only those row groups (any other would read zeros and fail
 * loudly, never silently).
 */
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { formatS3Uri } from '../../../shared/aws/s3-uri.ts';
import { type ChunkDescriptor, parseChunkDescriptor } from '../../../shared/chunks/ref.ts';
import { asDataErrors } from '../../../shared/duckdb/errors.ts';
import { writeParquet } from '../../../shared/duckdb/parquet.ts';
import { sqlString } from '../../../shared/duckdb/sql.ts';
import type { ConnectorIo, ExtractResult } from '../../../shared/modules/kernels.ts';
import { downloadSpans } from './client.ts';
import type { S3ParquetExtractConfig } from './config.ts';
import { RowGroupChunkSchema } from './plan.ts';

export async function extractRowGroups(
  config: S3ParquetExtractConfig,
  descriptor: ChunkDescriptor,
  io: ConnectorIo & { readonly connection: DuckDBConnection; readonly outputPath: string },
): Promise<ExtractResult> {
  const chunk = parseChunkDescriptor(RowGroupChunkSchema, descriptor, 'Parquet row-group');
  const path = join(io.workDir, 'row-groups.parquet');
  await downloadSpans(io.s3, config.bucket, chunk.key, chunk.size, chunk.spans, path);
  const last = chunk.firstRowGroup + chunk.rowGroups - 1;
  const where = `${formatS3Uri(config.bucket, chunk.key)} row groups ${chunk.firstRowGroup}-${last}`;
  const rowsOut = await asDataErrors(where, () =>
    writeParquet(
      io.connection,
      `SELECT * FROM read_parquet(${sqlString(path)})
        WHERE file_row_number >= ${chunk.firstRow} AND file_row_number < ${chunk.firstRow + chunk.rows}`,
      io.outputPath,
    ),
  );
  return { rowsIn: chunk.rows, rowsOut, rowsRejected: 0 };
}
