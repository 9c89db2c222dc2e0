/** The DuckDB `read_csv` options for a config: one place, so plan and extract read files identically. */
import { sqlString } from '../../../shared/duckdb/sql.ts';
import type { ColumnInfo } from '../../../shared/modules/kernels.ts';
import type { S3CsvConfig } from './module.ts';

function baseOptions(config: S3CsvConfig): string[] {
  return [
    `header = ${config.header ? 'true' : 'false'}`,
    `delim = ${sqlString(config.delimiter)}`,
    `quote = ${sqlString(config.quote)}`,
    `escape = ${sqlString(config.escape)}`,
    `nullstr = [${config.null_strings.map(sqlString).join(', ')}]`,
  ];
}

/** For inference: auto-detect types, with the declared ones forced. */
export function inferCsvRelation(path: string, config: S3CsvConfig): string {
  const declared = Object.entries(config.columns ?? {});
  const options = [...baseOptions(config)];
  if (declared.length > 0) {
    options.push(
      `types = {${declared.map(([name, type]) => `${sqlString(name)}: ${sqlString(type)}`).join(', ')}}`,
    );
  }
  return `read_csv(${sqlString(path)}, ${options.join(', ')})`;
}

/** For extraction: the plan's schema, no detection, so every chunk has the same columns and types. */
export function readCsvRelation(path: string, config: S3CsvConfig, columns: readonly ColumnInfo[]): string {
  const spec = columns.map((column) => `${sqlString(column.name)}: ${sqlString(column.type)}`).join(', ');
  return `read_csv(${sqlString(path)}, ${[...baseOptions(config), 'auto_detect = false', `columns = {${spec}}`].join(', ')})`;
}
