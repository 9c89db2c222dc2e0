/** The clean's data work: one projection of cleaned values, then an order-keeping dedup. */
import { sqlIdent, sqlString } from '../../../shared/duckdb/sql.ts';
import { ConfigError } from '../../../shared/errors.ts';
import type { ColumnInfo, TransformKernel } from '../../../shared/modules/kernels.ts';
import { freshColumnName, isTextColumn, resolveColumn } from '../columns.ts';
import type { CleanConfig } from './module.ts';

const MODULE = 'clean';

// DuckDB's one-argument trim() strips spaces only; CSV exports also leave tabs and CRs.
const WHITESPACE = sqlString(' \t\r\n');

function textColumn(inputColumns: readonly ColumnInfo[], name: string, field: string): ColumnInfo {
  const column = resolveColumn(inputColumns, name, { module: MODULE, field });
  if (!isTextColumn(column)) {
    throw new ConfigError(
      `${MODULE}: ${field} names column ${JSON.stringify(column.name)} of type ${column.type}; it applies to text (VARCHAR) columns only`,
    );
  }
  return column;
}

function trimmedNames(config: CleanConfig, inputColumns: readonly ColumnInfo[]): Set<string> {
  if (config.trim === true) return new Set(inputColumns.filter(isTextColumn).map((column) => column.name));
  if (config.trim === false) return new Set();
  return new Set(config.trim.map((name) => textColumn(inputColumns, name, 'trim').name));
}

function caseMappings(
  config: CleanConfig,
  inputColumns: readonly ColumnInfo[],
): Map<string, 'lower' | 'upper'> {
  return new Map(
    Object.entries(config.case).map(([name, mapping]) => [
      textColumn(inputColumns, name, `case.${name}`).name,
      mapping,
    ]),
  );
}

/** Trim, then null tokens (matched on the trimmed text), then case: a token is matched as written. */
function cleanedValue(
  column: ColumnInfo,
  trim: boolean,
  mapping: 'lower' | 'upper' | undefined,
  nullTokens: readonly string[],
): string {
  let value = sqlIdent(column.name);
  if (trim) value = `trim(${value}, ${WHITESPACE})`;
  if (nullTokens.length > 0 && isTextColumn(column)) {
    const compared = trim ? value : `trim(${value}, ${WHITESPACE})`;
    value = `CASE WHEN ${compared} IN (${nullTokens.map(sqlString).join(', ')}) THEN NULL ELSE ${value} END`;
  }
  if (mapping !== undefined) value = `${mapping}(${value})`;
  return value;
}

export const cleanKernel: TransformKernel<CleanConfig> = async ({ config, inputColumns }) => {
  const trimmed = trimmedNames(config, inputColumns);
  const cases = caseMappings(config, inputColumns);
  const keys = config.dedup_by.map((name) =>
    resolveColumn(inputColumns, name, { module: MODULE, field: 'dedup_by' }),
  );
  const selectList = inputColumns.map((column) => {
    const value = cleanedValue(column, trimmed.has(column.name), cases.get(column.name), config.null_tokens);
    return `${value} AS ${sqlIdent(column.name)}`;
  });
  if (keys.length === 0) return `SELECT ${selectList.join(', ')} FROM input`;

  // Dedup needs a window, which may reorder rows: remember input order and restore it.
  const row = sqlIdent(freshColumnName(inputColumns, 'etl_input_row'));
  const outputList = inputColumns.map((column) => sqlIdent(column.name)).join(', ');
  const partition = keys.map((column) => sqlIdent(column.name)).join(', ');
  return [
    `SELECT ${outputList} FROM (`,
    `  SELECT ${selectList.join(', ')}, row_number() OVER () AS ${row} FROM input`,
    `) AS cleaned`,
    `QUALIFY row_number() OVER (PARTITION BY ${partition} ORDER BY ${row}) = 1`,
    `ORDER BY ${row}`,
  ].join('\n');
};
