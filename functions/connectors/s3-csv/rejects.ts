/**
 * Quarantine for CSV: the rows DuckDB rejected in a chunk, written to the
 * chunk's rejects file with the source file, physical line, record number,
 * byte offset, column and reason, so nothing is lost and each can be fixed.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { DuckDBConnection } from '@duckdb/node-api';
import { uploadFile } from '../../../shared/aws/s3-objects.ts';
import { scanRecordBoundaries } from '../../../shared/chunks/record-boundaries.ts';
import { rejectsKey } from '../../../shared/chunks/ref.ts';
import { type RejectRecord, writeRejectsParquet } from '../../../shared/chunks/rejects-file.ts';
import { queryRows } from '../../../shared/duckdb/engine.ts';
import { sqlString } from '../../../shared/duckdb/sql.ts';
import type { ConnectorIo } from '../../../shared/modules/kernels.ts';
import { CSV_REJECTS_TABLE } from './csv-options.ts';
import type { CsvChunk } from './plan.ts';

interface RejectPlace {
  /** 1-based physical line in the source file. */
  readonly line: number;
  /** Byte offset of the row in the source file. */
  readonly offset: number;
  /** 1-based data record in the source file. */
  readonly record: number;
}

type CsvDialect = { readonly quote: string; readonly escape: string };

/**
 * Where each record of the local chunk file starts: DuckDB's `line` counts
 * blank lines too, so it cannot number records (found by fuzzing).
 */
async function recordStarts(text: Buffer, chunk: CsvChunk, dialect: CsvDialect): Promise<number[]> {
  const scan = await scanRecordBoundaries(Readable.from([text]), {
    targetBytes: 1,
    quote: dialect.quote,
    escape: dialect.escape,
    header: chunk.headerBytes > 0,
  });
  return scan.ranges.map((range) => range.start);
}

/**
 * Where each rejected row starts in the source, counting newlines in the
 * local chunk file (header + range) once. DuckDB's `line_byte_position` is
 * 1-based and, in CRLF files, points at the LF ending the previous line.
 */
function rejectPlaces(
  text: Buffer,
  chunk: CsvChunk,
  positions: readonly number[],
  starts: readonly number[],
): Map<number, RejectPlace> {
  const places = new Map<number, RejectPlace>();
  let newlines = 0;
  let cursor = chunk.headerBytes;
  let records = 0;
  for (const position of [...positions].sort((a, b) => a - b)) {
    let start = position - 1;
    while (text[start] === 0x0d || text[start] === 0x0a) start++;
    for (; cursor < start; cursor++) if (text[cursor] === 0x0a) newlines++;
    while (records < starts.length && (starts[records] as number) <= start) records++;
    places.set(position, {
      line: chunk.firstLine + newlines,
      offset: chunk.start + start - chunk.headerBytes,
      record: chunk.firstRecord + Math.max(records - 1, 0),
    });
  }
  return places;
}

/** Writes the rejects file when there are rejects; returns how many records were rejected. */
export async function quarantineCsvRejects(
  connection: DuckDBConnection,
  chunk: CsvChunk,
  source: string,
  localPath: string,
  io: ConnectorIo,
  dialect: CsvDialect,
): Promise<number> {
  const positions = await queryRows(
    connection,
    `SELECT DISTINCT line_byte_position::BIGINT AS position FROM ${CSV_REJECTS_TABLE}`,
  );
  if (positions.length === 0) return 0;
  const text = await readFile(localPath);
  const places = rejectPlaces(
    text,
    chunk,
    positions.map((row) => Number(row.position)),
    await recordStarts(text, chunk, dialect),
  );
  const values = [...places]
    .map(([position, place]) => `(${position}, ${place.line}, ${place.offset}, ${place.record})`)
    .join(', ');
  const path = join(io.workDir, 'rejects.parquet');
  await connection.run(
    `COPY (
       SELECT ${sqlString(source)} AS source,
              places.line AS line,
              places.record::BIGINT AS record,
              places.byte_offset::BIGINT AS byte_offset,
              r.column_name AS "column",
              r.error_type::VARCHAR AS error_type,
              r.error_message AS reason,
              ltrim(r.csv_line, chr(13) || chr(10)) AS raw
       FROM ${CSV_REJECTS_TABLE} AS r
       JOIN (VALUES ${values}) AS places(position, line, byte_offset, record) ON places.position = r.line_byte_position
       ORDER BY record, r.column_idx
     ) TO ${sqlString(path)} (FORMAT parquet, COMPRESSION zstd)`,
  );
  await uploadFile(io.s3, path, io.stagingBucket, rejectsKey(io.run.runId, io.nodeId, chunk.index));
  return positions.length;
}

/**
 * Quarantines every record of a chunk (its file drifted from the source's
 * schema): each with its line, record number, offset and the reason.
 */
export async function quarantineWholeChunk(
  connection: DuckDBConnection,
  chunk: CsvChunk,
  source: string,
  localPath: string,
  reason: string,
  io: ConnectorIo,
  dialect: CsvDialect,
): Promise<number> {
  const text = await readFile(localPath);
  // One range per record: the scanner knows quoted newlines, so records and lines stay right.
  const scan = await scanRecordBoundaries(Readable.from([text]), {
    targetBytes: 1,
    quote: dialect.quote,
    escape: dialect.escape,
    header: chunk.headerBytes > 0,
  });
  const firstLocalLine = scan.ranges[0]?.firstLine ?? 1;
  const records: RejectRecord[] = scan.ranges.map((range, index) => ({
    source,
    line: chunk.firstLine + range.firstLine - firstLocalLine,
    record: chunk.firstRecord + index,
    byte_offset: chunk.start + range.start - chunk.headerBytes,
    column: null,
    error_type: 'SCHEMA DRIFT',
    reason,
    raw: text
      .subarray(range.start, range.end)
      .toString('utf8')
      .replace(/\r?\n$/, ''),
  }));
  const path = join(io.workDir, 'rejects.parquet');
  await writeRejectsParquet(connection, records, join(io.workDir, 'rejects.ndjson'), path);
  await uploadFile(io.s3, path, io.stagingBucket, rejectsKey(io.run.runId, io.nodeId, chunk.index));
  return records.length;
}
