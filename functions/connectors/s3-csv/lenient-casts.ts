/**
 * DuckDB's CSV scanner casts leniently where its type sniffer is strict
 * (duckdb/duckdb#25824): once a column is typed from the file's first rows,
 * a later `1.5` or `007` in a BIGINT column is read as 2 or 7, and a
 * `2020-01-01 10:30` in a DATE column as 2020-01-01, without a reject. A
 * value that does not parse at all is still rejected with its line. This
 * finds, before a chunk is read, the values such a cast would change, so the
 * chunk counts as schema drift instead of changing data silently.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../../../shared/duckdb/engine.ts';
import { sqlIdent, sqlString } from '../../../shared/duckdb/sql.ts';
import { INTEGER_TYPES } from '../../../shared/duckdb/types.ts';
import type { ColumnInfo } from '../../../shared/modules/kernels.ts';
import { readCsvAsText } from './csv-options.ts';
import type { S3CsvConfig } from './module.ts';

/** SQL true for a text value `value` the lenient cast to `type` would read as another value; undefined when none can. */
function changedByCast(value: string, type: string): string | undefined {
  const cast = `TRY_CAST(${value} AS ${type})`;
  // Parses, but not as written: a fraction, an exponent, leading zeros.
  if (INTEGER_TYPES.has(type))
    return `(${cast} IS NOT NULL AND ltrim(trim(${value}), '+') <> ${cast}::VARCHAR)`;
  // A time of day the date would drop.
  if (type === 'DATE')
    return `(${cast} IS NOT NULL AND TRY_CAST(${value} AS TIMESTAMP) <> ${cast}::TIMESTAMP)`;
  return undefined;
}

/** One value a typed read would change, with its column and type. */
export interface ChangedValue {
  readonly column: string;
  readonly type: string;
  readonly value: string;
}

/**
 * The first value per column that reading the chunk at `path` with
 * `columns` would change. Declared columns are the user's choice of type
 * and are not second-guessed; with none left to check, nothing is read.
 */
export async function valuesChangedByCast(
  connection: DuckDBConnection,
  path: string,
  config: S3CsvConfig,
  columns: readonly ColumnInfo[],
): Promise<ChangedValue[]> {
  const declared = new Set(Object.keys(config.columns ?? {}));
  const checks = columns.flatMap((column) => {
    const test = declared.has(column.name) ? undefined : changedByCast(sqlIdent(column.name), column.type);
    return test === undefined ? [] : [{ column, test }];
  });
  if (checks.length === 0) return [];
  const firsts = checks.map(
    ({ column, test }, i) => `first(${sqlIdent(column.name)}) FILTER (WHERE ${test}) AS ${sqlIdent(`c${i}`)}`,
  );
  const [row] = await queryRows(
    connection,
    `SELECT ${firsts.join(', ')} FROM ${readCsvAsText(path, config, columns)} WHERE ${checks.map((check) => check.test).join(' OR ')}`,
  );
  return checks.flatMap(({ column }, i) => {
    const value = row?.[`c${i}`];
    return value === null || value === undefined
      ? []
      : [{ column: column.name, type: column.type, value: String(value) }];
  });
}

/** The drift those values amount to, as one human reading. */
export function describeChangedValues(changed: readonly ChangedValue[]): string {
  const each = changed.map(({ column, type, value }) => `${column} ${type} holds ${sqlString(value)}`);
  return (
    `value(s) the column type planned from the file's first rows would change: ${each.join(', ')}; ` +
    'declare the type in "columns" to read every chunk with it'
  );
}
