/** The select's data work: one projection that picks, casts and renames. */
import { sqlIdent } from '../../../shared/duckdb/sql.ts';
import { ConfigError } from '../../../shared/errors.ts';
import type { ColumnInfo, TransformKernel } from '../../../shared/modules/kernels.ts';
import { resolveColumn, sameColumnName } from '../columns.ts';
import type { SelectConfig } from './module.ts';

const MODULE = 'select';

/** Config keys (in `rename`, `cast`) resolved to the kept input columns they name. */
function keyedByColumn<T>(
  entries: Record<string, T>,
  field: string,
  inputColumns: readonly ColumnInfo[],
  kept: readonly ColumnInfo[],
): Map<string, T> {
  const byColumn = new Map<string, T>();
  for (const [name, value] of Object.entries(entries)) {
    const column = resolveColumn(inputColumns, name, { module: MODULE, field });
    if (!kept.includes(column)) {
      throw new ConfigError(
        `${MODULE}: ${field} names column ${JSON.stringify(column.name)}, which is not selected`,
      );
    }
    byColumn.set(column.name, value);
  }
  return byColumn;
}

function assertUniqueNames(names: readonly string[]): void {
  const duplicate = names.find(
    (name, index) => names.findIndex((other) => sameColumnName(other, name)) !== index,
  );
  if (duplicate !== undefined) {
    throw new ConfigError(`${MODULE}: the output would have two columns named ${JSON.stringify(duplicate)}`);
  }
}

// Config keys always name input columns, so `rename` and `cast` never depend on each other.
export const selectKernel: TransformKernel<SelectConfig> = async ({ config, inputColumns }) => {
  const kept =
    config.columns?.map((name) => resolveColumn(inputColumns, name, { module: MODULE, field: 'columns' })) ??
    inputColumns;
  const renames = keyedByColumn(config.rename, 'rename', inputColumns, kept);
  const casts = keyedByColumn(config.cast, 'cast', inputColumns, kept);
  const outputNames = kept.map((column) => renames.get(column.name) ?? column.name);
  assertUniqueNames(outputNames);

  const selectList = kept.map((column, index) => {
    const type = casts.get(column.name);
    // CAST, not TRY_CAST: a value that does not convert must fail the chunk, not become NULL.
    const value = type === undefined ? sqlIdent(column.name) : `CAST(${sqlIdent(column.name)} AS ${type})`;
    return `${value} AS ${sqlIdent(outputNames[index] ?? column.name)}`;
  });
  return `SELECT ${selectList.join(', ')} FROM input`;
};
