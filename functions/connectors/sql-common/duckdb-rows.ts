/**
 * Database rows into a chunk: batches from the server-side cursor are
 * appended to a DuckDB table of text (and blob) columns, then cast once, in
 * SQL, to the types the driver's column metadata gave, and written as
 * Parquet. Casting from the database's own text form keeps numerics exact and
 * time zones right; DuckDB spills to disk if a chunk outgrows memory.
 */
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import { asDataErrors } from '../../../shared/duckdb/errors.ts';
import { writeParquet } from '../../../shared/duckdb/parquet.ts';
import { sqlIdent } from '../../../shared/duckdb/sql.ts';
import { ConfigError } from '../../../shared/errors.ts';
import type { RowBatch, RowValue, SourceColumn } from './session.ts';

const TABLE = 'source_rows';

function carrierName(index: number): string {
  return `c${index}`;
}

function castExpression(column: SourceColumn, index: number): string {
  const ref = sqlIdent(carrierName(index));
  if (column.cast) return column.cast(ref);
  return column.type === column.carrier ? ref : `CAST(${ref} AS ${column.type})`;
}

function checkColumns(columns: readonly SourceColumn[]): void {
  if (columns.length === 0) throw new ConfigError('the query returns no columns');
  const seen = new Set<string>();
  for (const column of columns) {
    if (seen.has(column.name)) {
      throw new ConfigError(`the query returns two columns named ${column.name}: give them distinct aliases`);
    }
    seen.add(column.name);
  }
}

function appendRow(appender: DuckDBAppender, row: readonly RowValue[]): void {
  for (const value of row) {
    if (value === null) appender.appendNull();
    else if (typeof value === 'string') appender.appendVarchar(value);
    else appender.appendBlob(value);
  }
  appender.endRow();
}

export interface WrittenRows {
  readonly rows: number;
  readonly columns: readonly SourceColumn[];
}

/** Consumes `batches` and writes them as one Parquet file; `where` names the chunk in errors. */
export async function writeBatchesToParquet(
  connection: DuckDBConnection,
  batches: AsyncIterable<RowBatch>,
  outputPath: string,
  where: string,
): Promise<WrittenRows> {
  let columns: readonly SourceColumn[] | undefined;
  let appender: DuckDBAppender | undefined;
  try {
    for await (const batch of batches) {
      if (columns === undefined) {
        columns = batch.columns;
        checkColumns(columns);
        const spec = columns.map((column, index) => `${sqlIdent(carrierName(index))} ${column.carrier}`);
        await connection.run(`CREATE TABLE ${TABLE} (${spec.join(', ')})`);
        appender = await connection.createAppender(TABLE);
      }
      for (const row of batch.rows) appendRow(appender as DuckDBAppender, row);
      appender?.flushSync();
    }
  } finally {
    appender?.closeSync();
  }
  if (columns === undefined) throw new ConfigError('the query returned no result set');
  const select = columns.map(
    (column, index) => `${castExpression(column, index)} AS ${sqlIdent(column.name)}`,
  );
  const written = await asDataErrors(`converting the rows of ${where}`, () =>
    writeParquet(connection, `SELECT ${select.join(', ')} FROM ${TABLE}`, outputPath),
  );
  return { rows: written, columns };
}
