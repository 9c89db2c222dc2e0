/**
 * Quarantine for CSV: the rows DuckDB rejected in a chunk, written to the
 * chunk's rejects file with the source file, physical line, record number,
 * byte offset, column and reason, so nothing is lost and each can be fixed.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { uploadFile } from '../../../shared/aws/s3-objects.ts';
import { rejectsKey } from '../../../shared/chunks/ref.ts';
import { queryRows } from '../../../shared/duckdb/engine.ts';
import { sqlString } from '../../../shared/duckdb/sql.ts';
import type { ConnectorIo } from '../../../shared/modules/kernels.ts';
import { CSV_REJECTS_TABLE } from './csv-options.ts';
import type { CsvChunk } from './plan.ts';

/**
 * Physical line of each reject position, counting newlines in the local chunk
 * file (header + range) once. DuckDB's `line_byte_position` is 1-based.
 */
function physicalLines(text: Buffer, chunk: CsvChunk, positions: readonly number[]): Map<number, number> {
  const lines = new Map<number, number>();
  let newlines = 0;
  let cursor = chunk.headerBytes;
  for (const position of [...positions].sort((a, b) => a - b)) {
    for (; cursor < position - 1; cursor++) if (text[cursor] === 0x0a) newlines++;
    lines.set(position, chunk.firstLine + newlines);
  }
  return lines;
}

/** Writes the rejects file when there are rejects; returns how many records were rejected. */
export async function quarantineCsvRejects(
  connection: DuckDBConnection,
  chunk: CsvChunk,
  source: string,
  localPath: string,
  io: ConnectorIo,
): Promise<number> {
  const positions = await queryRows(
    connection,
    `SELECT DISTINCT line_byte_position::BIGINT AS position FROM ${CSV_REJECTS_TABLE}`,
  );
  if (positions.length === 0) return 0;
  const lines = physicalLines(
    await readFile(localPath),
    chunk,
    positions.map((row) => Number(row.position)),
  );
  const values = [...lines].map(([position, line]) => `(${position}, ${line})`).join(', ');
  // DuckDB's `line` counts records in the local file, where the header (if any) is record 1.
  const headerRecords = chunk.headerBytes > 0 ? 1 : 0;
  const path = join(io.workDir, 'rejects.parquet');
  await connection.run(
    `COPY (
       SELECT ${sqlString(source)} AS source,
              lines.line AS line,
              (${chunk.firstRecord} + r.line - 1 - ${headerRecords})::BIGINT AS record,
              (${chunk.start} + r.line_byte_position - 1 - ${chunk.headerBytes})::BIGINT AS byte_offset,
              r.column_name AS "column",
              r.error_type::VARCHAR AS error_type,
              r.error_message AS reason,
              r.csv_line AS raw
       FROM ${CSV_REJECTS_TABLE} AS r
       JOIN (VALUES ${values}) AS lines(position, line) ON lines.position = r.line_byte_position
       ORDER BY record, r.column_idx
     ) TO ${sqlString(path)} (FORMAT parquet, COMPRESSION zstd)`,
  );
  await uploadFile(io.s3, path, io.stagingBucket, rejectsKey(io.run.runId, io.nodeId, chunk.index));
  return positions.length;
}
