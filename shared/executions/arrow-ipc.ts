/**
 * A preview as an Arrow IPC stream, what the console reads. Types map to
 * Arrow where JSON values carry them exactly; the rest (decimals, dates,
 * 128-bit integers, nested values) travel as text, as in the JSON form.
 */

import type { Json } from '@duckdb/node-api';
import {
  Bool,
  type DataType,
  Float64,
  Int32,
  Int64,
  Table,
  tableToIPC,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import type { PreviewResult } from './preview-result.ts';

interface ArrowColumn {
  readonly type: DataType;
  readonly convert: (value: Json) => unknown;
}

const asText = (value: Json): string | null =>
  value === null ? null : typeof value === 'string' ? value : JSON.stringify(value);

function arrowColumn(duckType: string): ArrowColumn {
  switch (duckType) {
    case 'BOOLEAN':
      return { type: new Bool(), convert: (value) => (value === null ? null : Boolean(value)) };
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'UTINYINT':
    case 'USMALLINT':
      return { type: new Int32(), convert: (value) => (value === null ? null : Number(value)) };
    case 'BIGINT':
    case 'UINTEGER':
      // JSON carries 64-bit integers as strings so they stay exact.
      return { type: new Int64(), convert: (value) => (value === null ? null : BigInt(String(value))) };
    case 'FLOAT':
    case 'DOUBLE':
      return { type: new Float64(), convert: (value) => (value === null ? null : Number(value)) };
    default:
      return { type: new Utf8(), convert: asText };
  }
}

export function toArrowIpc(result: PreviewResult): Uint8Array {
  const vectors = Object.fromEntries(
    result.columns.map((column) => {
      const { type, convert } = arrowColumn(column.type);
      return [
        column.name,
        vectorFromArray(
          result.rows.map((row) => convert(row[column.name] ?? null)),
          type,
        ),
      ];
    }),
  );
  return tableToIPC(new Table(vectors), 'stream');
}
