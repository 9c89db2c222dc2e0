/** The DuckDB `read_csv` options for a config: one place, so plan and extract read files identically. */
import { sqlString } from '../../../shared/duckdb/sql.ts';
import type { ColumnInfo } from '../../../shared/modules/kernels.ts';
import type { S3CsvConfig } from './module.ts';

/**
 * The longest record read: DuckDB's default (2,000,000 bytes) refuses a row
 * holding an embedded document a few MB long. Its buffer defaults to 16
 * times this, which at 16 MiB would be a 1 GiB allocation, past a task's
 * memory: the buffer is pinned at 32 MiB, DuckDB's default size, measured
 * as fast and as small on a 68 MB file.
 */
const MAX_RECORD_BYTES = 16 * 1024 * 1024;
const BUFFER_BYTES = 2 * MAX_RECORD_BYTES;

function baseOptions(config: S3CsvConfig): string[] {
  return [
    `header = ${config.header ? 'true' : 'false'}`,
    `delim = ${sqlString(config.delimiter)}`,
    `quote = ${sqlString(config.quote)}`,
    `escape = ${sqlString(config.escape)}`,
    `nullstr = [${config.null_strings.map(sqlString).join(', ')}]`,
    `max_line_size = ${MAX_RECORD_BYTES}`,
    `buffer_size = ${BUFFER_BYTES}`,
  ];
}

/** For inference: auto-detect types, with the declared ones forced. */
export function inferCsvRelation(path: string, config: S3CsvConfig): string {
  const declared = Object.entries(config.columns ?? {});
  // Malformed rows must not stop the sniffer: extraction quarantines them.
  const options = [...baseOptions(config), 'ignore_errors = true'];
  if (declared.length > 0) {
    options.push(
      `types = {${declared.map(([name, type]) => `${sqlString(name)}: ${sqlString(type)}`).join(', ')}}`,
    );
  }
  return `read_csv(${sqlString(path)}, ${options.join(', ')})`;
}

/** DuckDB's table of rows it could not parse or cast, filled by `readCsvRelation`. */
export const CSV_REJECTS_TABLE = 'etl_rejects';

/**
 * For extraction: the plan's schema, no detection, so every chunk has the
 * same columns and types. A row that does not parse or cast is not read: it
 * lands in `CSV_REJECTS_TABLE` with its line, column and reason.
 */
export function readCsvRelation(path: string, config: S3CsvConfig, columns: readonly ColumnInfo[]): string {
  const spec = columns.map((column) => `${sqlString(column.name)}: ${sqlString(column.type)}`).join(', ');
  const options = [
    ...baseOptions(config),
    'auto_detect = false',
    `columns = {${spec}}`,
    'store_rejects = true',
    `rejects_table = ${sqlString(CSV_REJECTS_TABLE)}`,
    `rejects_scan = ${sqlString(`${CSV_REJECTS_TABLE}_scans`)}`,
  ];
  return `read_csv(${sqlString(path)}, ${options.join(', ')})`;
}

/**
 * Every column as text, malformed rows skipped (the typed read quarantines
 * them): what the values of a chunk are before any cast.
 */
export function readCsvAsText(path: string, config: S3CsvConfig, columns: readonly ColumnInfo[]): string {
  const spec = columns.map((column) => `${sqlString(column.name)}: 'VARCHAR'`).join(', ');
  const options = [
    ...baseOptions(config),
    'auto_detect = false',
    `columns = {${spec}}`,
    'ignore_errors = true',
  ];
  return `read_csv(${sqlString(path)}, ${options.join(', ')})`;
}
