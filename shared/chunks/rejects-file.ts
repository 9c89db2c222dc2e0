/**
 * The rejects file's columns, shared by every node that quarantines rows, so
 * one query reads a run's rejects whatever produced them.
 */
import { writeFile } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from '../duckdb/sql.ts';

export interface RejectRecord {
  /** Where the row came from, e.g. `s3://bucket/key`. */
  readonly source: string;
  /** 1-based physical line in the source file, when it has lines. */
  readonly line: number | null;
  /** 1-based record number in the source. */
  readonly record: number | null;
  readonly byte_offset: number | null;
  readonly column: string | null;
  readonly error_type: string;
  readonly reason: string;
  /** The row as read, so it can be fixed and replayed. */
  readonly raw: string;
}

export const REJECT_COLUMNS =
  "{'source': 'VARCHAR', 'line': 'BIGINT', 'record': 'BIGINT', 'byte_offset': 'BIGINT', 'column': 'VARCHAR', 'error_type': 'VARCHAR', 'reason': 'VARCHAR', 'raw': 'VARCHAR'}";

/** Writes reject records as Parquet (through NDJSON, so any count and any text is safe). */
export async function writeRejectsParquet(
  connection: DuckDBConnection,
  records: readonly RejectRecord[],
  ndjsonPath: string,
  parquetPath: string,
): Promise<void> {
  await writeFile(ndjsonPath, records.map((record) => JSON.stringify(record)).join('\n'));
  await connection.run(
    `COPY (SELECT * FROM read_json(${sqlString(ndjsonPath)}, format = 'newline_delimited', columns = ${REJECT_COLUMNS})) ` +
      `TO ${sqlString(parquetPath)} (FORMAT parquet, COMPRESSION zstd)`,
  );
}
