/** Writing query results as the staging format (Parquet, zstd) and describing relations. */
import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnInfo } from '../modules/kernels.ts';
import { sqlString } from './sql.ts';

/** Runs `COPY (query) TO path` and returns the number of rows written. */
export async function writeParquet(
  connection: DuckDBConnection,
  query: string,
  path: string,
): Promise<number> {
  const reader = await connection.runAndReadAll(
    `COPY (${query}) TO ${sqlString(path)} (FORMAT parquet, COMPRESSION zstd)`,
  );
  const [row] = reader.getRowObjectsJson();
  return Number(row?.Count ?? 0);
}

/** Column names and DuckDB types of a relation (a view name or a table function call). */
export async function describeColumns(connection: DuckDBConnection, relation: string): Promise<ColumnInfo[]> {
  const reader = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${relation}`);
  return reader
    .getRowObjectsJson()
    .map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
}

export function readParquetRelation(path: string): string {
  return `read_parquet(${sqlString(path)})`;
}

/** A short, stable fingerprint of a schema: equal schemas, equal hashes. */
export function schemaHash(columns: readonly ColumnInfo[]): string {
  const text = columns.map((column) => `${column.name}\u0000${column.type}`).join('\u0001');
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
