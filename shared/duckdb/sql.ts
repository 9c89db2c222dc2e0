/** Quoting for the few places where values must be spliced into DuckDB SQL text. */
import type { ColumnInfo } from '../modules/kernels.ts';

/** A double-quoted identifier: any column name, spaces and `$` included, is safe. */
export function sqlIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A single-quoted string literal. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A literal for a pipeline parameter value. */
export function sqlLiteral(value: string | number | boolean | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
    return String(value);
  }
  return sqlString(value);
}

/** Selects every column by name (identifiers quoted: real headers have spaces and `$`). */
export function selectColumns(columns: readonly ColumnInfo[]): string {
  return columns.map((column) => sqlIdent(column.name)).join(', ');
}
