/** Reads a chunk's `input` view in batches of driver-ready values (text, bytes or NULL). */
import { DuckDBBlobValue, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { sqlIdent } from '../../../shared/duckdb/sql.ts';
import type { ColumnInfo } from '../../../shared/modules/kernels.ts';
import type { BindValue, LoadDialect } from './session.ts';

function toBindValue(value: DuckDBValue): BindValue {
  if (value === null) return null;
  if (value instanceof DuckDBBlobValue) return Buffer.from(value.bytes);
  // Every other column was converted to VARCHAR by the dialect's bind expression.
  return String(value);
}

export async function* readInputBatches(
  connection: DuckDBConnection,
  dialect: LoadDialect,
  columns: readonly ColumnInfo[],
  batchRows: number,
): AsyncGenerator<BindValue[][]> {
  const select = columns.map((column) => dialect.bindExpression(sqlIdent(column.name), column.type));
  const result = await connection.stream(`SELECT ${select.join(', ')} FROM input`);
  let batch: BindValue[][] = [];
  for await (const rows of result.yieldRows()) {
    for (const row of rows) {
      batch.push(row.map(toBindValue));
      if (batch.length >= batchRows) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}
