/**
 * Plans Parquet files by row groups: each file's footer is read (not the
 * file), DuckDB's `parquet_metadata()` gives every row group's rows and byte
 * span, and consecutive row groups are packed into chunks of about
 * `chunkSizeBytes` (at least one row group each).
 */
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { z } from 'zod';
import { ChunkDescriptorSchema } from '../../../shared/chunks/ref.ts';
import { listSourceFiles } from '../../../shared/chunks/source-files.ts';
import { withDuckDb } from '../../../shared/duckdb/engine.ts';
import { sqlString } from '../../../shared/duckdb/sql.ts';
import type { ConnectorIo } from '../../../shared/modules/kernels.ts';
import { type ByteSpan, downloadSpans, footerSpan } from './client.ts';
import type { S3ParquetExtractConfig } from './config.ts';
import { notParquet } from './errors.ts';

const SpanSchema = z.object({ start: z.int().min(0), end: z.int().min(0) });

export const RowGroupChunkSchema = ChunkDescriptorSchema.extend({
  key: z.string(),
  size: z.int().min(0),
  /** Row groups [first, first + count) of the file. */
  firstRowGroup: z.int().min(0),
  rowGroups: z.int().min(1),
  /** Rows [firstRow, firstRow + rows) of the file, as `file_row_number` counts them. */
  firstRow: z.int().min(0),
  rows: z.int().min(0),
  /** Byte spans to fetch: the row groups' column chunks, then the footer. */
  spans: z.array(SpanSchema),
});
export type RowGroupChunk = z.output<typeof RowGroupChunkSchema>;

export interface RowGroup {
  readonly id: number;
  readonly rows: number;
  readonly span: ByteSpan;
}

/** Row groups of the sparse local copy, from its footer. */
async function readRowGroups(connection: DuckDBConnection, path: string): Promise<RowGroup[]> {
  const reader = await connection.runAndReadAll(`
    SELECT row_group_id AS id, any_value(row_group_num_rows) AS rows,
           min(coalesce(dictionary_page_offset, data_page_offset)) AS start,
           max(coalesce(dictionary_page_offset, data_page_offset) + total_compressed_size) AS "end"
      FROM parquet_metadata(${sqlString(path)}) GROUP BY row_group_id ORDER BY row_group_id`);
  return reader.getRowObjectsJson().map((row) => ({
    id: Number(row.id),
    rows: Number(row.rows),
    span: { start: Number(row.start), end: Number(row.end) },
  }));
}

/** Packs consecutive row groups into chunks of about `targetBytes`. */
export function packRowGroups(groups: readonly RowGroup[], targetBytes: number): RowGroup[][] {
  const packs: RowGroup[][] = [];
  let current: RowGroup[] = [];
  let bytes = 0;
  for (const group of groups) {
    const size = group.span.end - group.span.start;
    if (current.length > 0 && bytes + size > targetBytes) {
      packs.push(current);
      current = [];
      bytes = 0;
    }
    current.push(group);
    bytes += size;
  }
  if (current.length > 0) packs.push(current);
  return packs;
}

export async function planParquet(
  config: S3ParquetExtractConfig,
  io: ConnectorIo,
  chunkSizeBytes: number,
): Promise<RowGroupChunk[]> {
  const files = await listSourceFiles(io.s3, {
    bucket: config.bucket,
    prefix: config.prefix,
    ...(config.pattern ? { pattern: config.pattern } : {}),
    allowEmpty: config.allow_empty,
  });
  const chunks: RowGroupChunk[] = [];
  await withDuckDb({ workDir: io.workDir }, async (connection) => {
    for (const [n, file] of files.entries()) {
      const footer = await footerSpan(io.s3, config.bucket, file.key, file.size);
      const path = join(io.workDir, `footer-${n}.parquet`);
      await downloadSpans(io.s3, config.bucket, file.key, file.size, [footer], path);
      const groups = await readRowGroups(connection, path).catch((error: unknown) => {
        throw notParquet(config.bucket, file.key, error instanceof Error ? error.message : String(error));
      });
      let firstRow = 0;
      for (const pack of packRowGroups(groups, chunkSizeBytes)) {
        const rows = pack.reduce((sum, group) => sum + group.rows, 0);
        chunks.push({
          index: chunks.length,
          key: file.key,
          size: file.size,
          firstRowGroup: pack[0]?.id ?? 0,
          rowGroups: pack.length,
          firstRow,
          rows,
          spans: [...pack.map((group) => group.span), footer],
        });
        firstRow += rows;
      }
    }
  });
  return chunks;
}
