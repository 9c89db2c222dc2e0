/**
 * Flatten's data work, one nesting level per step, each step a SELECT over
 * the previous: all struct columns to their fields, else one list to rows
 * (lists one at a time, so two lists give their cross product, not a zip).
 * DuckDB describes each step, so field names and types come from the data's
 * own schema.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { describeColumns } from '../../../shared/duckdb/parquet.ts';
import { sqlIdent, sqlString } from '../../../shared/duckdb/sql.ts';
import { ConfigError } from '../../../shared/errors.ts';
import type { ColumnInfo, TransformPlanKernel } from '../../../shared/modules/kernels.ts';
import { freshColumnName, resolveColumn, sameColumnName } from '../columns.ts';
import type { FlattenConfig } from './module.ts';

export const isList = (column: ColumnInfo): boolean => column.type.endsWith('[]');
// `STRUCT(...)[]` is a list of structs: a list first.
export const isStruct = (column: ColumnInfo): boolean => column.type.startsWith('STRUCT(') && !isList(column);

interface Step {
  readonly sql: string;
  readonly columns: readonly ColumnInfo[];
}

async function structFields(
  connection: DuckDBConnection,
  from: string,
  column: ColumnInfo,
): Promise<ColumnInfo[]> {
  return describeColumns(connection, `(SELECT unnest(${sqlIdent(column.name)}) FROM (${from}))`);
}

async function expandStructs(
  connection: DuckDBConnection,
  step: Step,
  targets: Set<string>,
  separator: string,
): Promise<string[]> {
  const select: string[] = [];
  const names = new Set(
    step.columns.filter((column) => !targets.has(column.name)).map((c) => c.name.toLowerCase()),
  );
  for (const column of step.columns) {
    if (!(targets.has(column.name) && isStruct(column))) {
      select.push(sqlIdent(column.name));
      continue;
    }
    for (const field of await structFields(connection, step.sql, column)) {
      const name = `${column.name}${separator}${field.name}`;
      if (names.has(name.toLowerCase())) {
        throw new ConfigError(
          `flatten: field ${JSON.stringify(field.name)} of ${JSON.stringify(column.name)} would be named ${JSON.stringify(name)}, which is taken; set another separator`,
        );
      }
      names.add(name.toLowerCase());
      targets.add(name);
      select.push(`struct_extract(${sqlIdent(column.name)}, ${sqlString(field.name)}) AS ${sqlIdent(name)}`);
    }
  }
  return select;
}

function explodeList(step: Step, list: ColumnInfo, keepEmpty: boolean): string[] {
  const name = sqlIdent(list.name);
  // unnest() drops a row whose list is empty or NULL; one NULL element keeps it.
  const elements = keepEmpty
    ? `CASE WHEN len(${name}) > 0 THEN ${name} ELSE CAST([NULL] AS ${list.type}) END`
    : name;
  return step.columns.map((column) =>
    column === list ? `unnest(${elements}) AS ${name}` : sqlIdent(column.name),
  );
}

export const flattenKernel: TransformPlanKernel<FlattenConfig> = async ({
  config,
  connection,
  inputColumns,
}) => {
  const named = config.columns?.map((name, index) =>
    resolveColumn(inputColumns, name, { module: 'flatten', field: `columns[${index}]` }),
  );
  for (const column of named ?? []) {
    if (!isStruct(column) && !isList(column)) {
      throw new ConfigError(
        `flatten: column ${JSON.stringify(column.name)} is ${column.type}, not a STRUCT or a list`,
      );
    }
  }
  const targets = new Set((named ?? inputColumns.filter((c) => isStruct(c) || isList(c))).map((c) => c.name));
  // Each input row is numbered, so rows a list explodes into can be traced back to it.
  const rowName = freshColumnName(inputColumns, '_etl_flatten_row');
  const row = sqlIdent(rowName);
  let step: Step = {
    sql: `SELECT *, row_number() OVER () AS ${row} FROM input`,
    columns: [...inputColumns, { name: rowName, type: 'BIGINT' }],
  };
  for (let count = 0; count < config.max_steps; count++) {
    const nested = step.columns.filter((column) => targets.has(column.name));
    let select: string[];
    if (nested.some(isStruct)) select = await expandStructs(connection, step, targets, config.separator);
    else {
      const list = nested.find(isList);
      if (list === undefined) break;
      select = explodeList(step, list, config.keep_empty);
    }
    const sql = `SELECT ${select.join(', ')} FROM (${step.sql})`;
    step = { sql, columns: await describeColumns(connection, `(${sql})`) };
  }
  const query = `SELECT * EXCLUDE (${row}) FROM (${step.sql})`;
  // Rows multiply, so filtered counts the input rows that gave no row at all (only an empty
  // or NULL list without keep_empty does that), not in - out.
  const droppedRows = config.keep_empty
    ? 'SELECT 0 AS n'
    : `SELECT (SELECT count(*) FROM input) - count(DISTINCT ${row}) AS n FROM (${step.sql})`;
  return { query, droppedRows };
};

/** For lineage: the input column a flattened output column comes from. */
export function flattenedFrom(
  output: string,
  inputs: readonly ColumnInfo[],
  separator: string,
): ColumnInfo | undefined {
  const exact = inputs.find((column) => sameColumnName(column.name, output));
  if (exact !== undefined) return exact;
  // The longest input name that prefixes the output: `a_b` beats `a` for `a_b_c`.
  return inputs
    .filter(
      (column) =>
        isStruct(column) && output.toLowerCase().startsWith(`${column.name}${separator}`.toLowerCase()),
    )
    .sort((left, right) => right.name.length - left.name.length)[0];
}
