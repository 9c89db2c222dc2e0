/** Looking up config-named columns in a chunk's schema, the way DuckDB binds them. */
import { ConfigError } from '../../shared/errors.ts';
import type { ColumnInfo } from '../../shared/modules/kernels.ts';

/** DuckDB matches identifiers case-insensitively, quoted or not, so config names do too. */
export function sameColumnName(left: string, right: string): boolean {
  return left.toLowerCase() === right.toLowerCase();
}

/**
 * The input column `name` refers to. Throws a ConfigError naming the module,
 * the config field and the available columns, so a typo is fixed in one go.
 */
export function resolveColumn(
  inputColumns: readonly ColumnInfo[],
  name: string,
  where: { readonly module: string; readonly field: string },
): ColumnInfo {
  const column = inputColumns.find((candidate) => sameColumnName(candidate.name, name));
  if (column === undefined) {
    const available = inputColumns.map((candidate) => JSON.stringify(candidate.name)).join(', ');
    throw new ConfigError(
      `${where.module}: ${where.field} names column ${JSON.stringify(name)}, which the input does not have; ` +
        `available columns: ${available}`,
    );
  }
  return column;
}

/** Text columns: the ones trimming, case mapping and null tokens apply to. */
export function isTextColumn(column: ColumnInfo): boolean {
  return column.type === 'VARCHAR';
}

/** A column name not among `taken`, for bookkeeping columns a kernel adds and drops again. */
export function freshColumnName(taken: readonly ColumnInfo[], base: string): string {
  let name = base;
  while (taken.some((column) => sameColumnName(column.name, name))) name = `_${name}`;
  return name;
}
