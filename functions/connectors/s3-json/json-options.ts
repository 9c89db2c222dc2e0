/** The DuckDB `read_json` call for a layout, shared by plan (inference) and extract. */
import { sqlString } from '../../../shared/duckdb/sql.ts';
import type { ColumnInfo } from '../../../shared/modules/kernels.ts';

export type JsonLayout = 'array' | 'ndjson';

const DUCKDB_FORMAT: Record<JsonLayout, string> = { array: 'array', ndjson: 'newline_delimited' };

/** Each record as a JSON value (`json`), with its number in the file part (`n`, from 1). */
export function jsonRecords(path: string, layout: JsonLayout): string {
  return `SELECT row_number() OVER () AS n, json FROM read_json_objects(${sqlString(path)}, format = ${sqlString(DUCKDB_FORMAT[layout])})`;
}

export function readJsonRelation(path: string, layout: JsonLayout, columns?: readonly ColumnInfo[]): string {
  const options = [`format = ${sqlString(DUCKDB_FORMAT[layout])}`];
  if (columns) {
    options.push(
      `columns = {${columns.map((c) => `${sqlString(c.name)}: ${sqlString(c.type)}`).join(', ')}}`,
    );
  } else {
    // Read the whole sample before settling on a type: a field null in the first rows is common.
    options.push('sample_size = -1');
  }
  return `read_json(${sqlString(path)}, ${options.join(', ')})`;
}
