/**
 * Moves a chunk between DuckDB and Arrow for `custom` functions. Types are
 * narrowed to four that both sides hold exactly: BIGINT/Int64, DOUBLE/Float64,
 * BOOLEAN/Bool and VARCHAR/Utf8 (other types travel as text).
 */
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import { Bool, DataType, Float64, Int64, Table, Utf8, type Vector, vectorFromArray } from 'apache-arrow';
import { sqlIdent } from '../../../shared/duckdb/sql.ts';
import type { ColumnInfo } from '../../../shared/modules/kernels.ts';

type BridgeType = 'BIGINT' | 'DOUBLE' | 'BOOLEAN' | 'VARCHAR';

const INTEGER = /^(TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER)$/;
const FLOATING = /^(FLOAT|DOUBLE|REAL|DECIMAL\(\d+,\s*\d+\)|UBIGINT|HUGEINT)$/;

function bridgeType(duckDbType: string): BridgeType {
  if (INTEGER.test(duckDbType)) return 'BIGINT';
  if (FLOATING.test(duckDbType)) return 'DOUBLE';
  return duckDbType === 'BOOLEAN' ? 'BOOLEAN' : 'VARCHAR';
}

function arrowVector(type: BridgeType, values: readonly unknown[]): Vector {
  switch (type) {
    case 'BIGINT':
      return vectorFromArray(values as (bigint | null)[], new Int64());
    case 'DOUBLE':
      return vectorFromArray(values as (number | null)[], new Float64());
    case 'BOOLEAN':
      return vectorFromArray(values as (boolean | null)[], new Bool());
    case 'VARCHAR':
      return vectorFromArray(values as (string | null)[], new Utf8());
  }
}

/** The relation `input` as an Arrow table. */
export async function readInputAsArrow(
  connection: DuckDBConnection,
  columns: readonly ColumnInfo[],
): Promise<Table> {
  if (columns.length === 0) return new Table({});
  const types = columns.map((column) => bridgeType(column.type));
  const select = columns.map(
    (column, index) => `CAST(${sqlIdent(column.name)} AS ${types[index]}) AS ${sqlIdent(column.name)}`,
  );
  const reader = await connection.runAndReadAll(`SELECT ${select.join(', ')} FROM input`);
  const values = reader.getColumnsJS();
  const vectors: Record<string, Vector> = {};
  for (const [index, column] of columns.entries()) {
    vectors[column.name] = arrowVector(types[index] ?? 'VARCHAR', values[index] ?? []);
  }
  return new Table(vectors);
}

function outputType(type: DataType): BridgeType {
  if (DataType.isInt(type)) return 'BIGINT';
  if (DataType.isFloat(type) || DataType.isDecimal(type)) return 'DOUBLE';
  return DataType.isBool(type) ? 'BOOLEAN' : 'VARCHAR';
}

function appendValue(appender: DuckDBAppender, type: BridgeType, value: unknown): void {
  if (value === null || value === undefined) appender.appendNull();
  else if (type === 'BIGINT') appender.appendBigInt(BigInt(value as bigint | number));
  else if (type === 'DOUBLE') appender.appendDouble(Number(value));
  else if (type === 'BOOLEAN') appender.appendBoolean(Boolean(value));
  else
    appender.appendVarchar(
      typeof value === 'string'
        ? value
        : JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)),
    );
}

/** Writes an Arrow table into a new DuckDB table named `table`; returns its columns. */
export async function writeArrowTable(
  connection: DuckDBConnection,
  table: string,
  data: Table,
): Promise<ColumnInfo[]> {
  const columns = data.schema.fields.map((field) => ({ name: field.name, type: outputType(field.type) }));
  const definition = columns.map((column) => `${sqlIdent(column.name)} ${column.type}`).join(', ');
  await connection.run(`CREATE OR REPLACE TABLE ${sqlIdent(table)} (${definition})`);
  const appender = await connection.createAppender(table);
  const vectors = columns.map((column) => data.getChild(column.name));
  for (let row = 0; row < data.numRows; row++) {
    for (const [index, column] of columns.entries())
      appendValue(appender, column.type, vectors[index]?.get(row));
    appender.endRow();
  }
  appender.closeSync();
  return columns;
}
