/** Unpivot's data work: two parallel unnests (names, values) per row; DuckDB unifies the value types. */
import { selectColumns, sqlIdent, sqlString } from '../../../shared/duckdb/sql.ts';
import { ConfigError } from '../../../shared/errors.ts';
import type { TransformPlanKernel } from '../../../shared/modules/kernels.ts';
import { resolveColumn, sameColumnName } from '../columns.ts';
import type { UnpivotConfig } from './module.ts';

export const unpivotKernel: TransformPlanKernel<UnpivotConfig> = async ({ config, inputColumns }) => {
  const unpivoted = config.columns.map((name, index) =>
    resolveColumn(inputColumns, name, { module: 'unpivot', field: `columns[${index}]` }),
  );
  const kept = inputColumns.filter((column) => !unpivoted.includes(column));
  for (const field of ['name_column', 'value_column'] as const) {
    if (kept.some((column) => sameColumnName(column.name, config[field]))) {
      throw new ConfigError(
        `unpivot: ${field} ${JSON.stringify(config[field])} is already an input column that is not unpivoted`,
      );
    }
  }
  const names = unpivoted.map((column) => sqlString(column.name)).join(', ');
  const values = unpivoted.map((column) => sqlIdent(column.name)).join(', ');
  const value = sqlIdent(config.value_column);
  const select =
    `SELECT ${kept.length > 0 ? `${selectColumns(kept)}, ` : ''}unnest([${names}]) AS ${sqlIdent(config.name_column)}, ` +
    `unnest([${values}]) AS ${value} FROM input`;
  if (config.include_nulls) return { query: select, droppedRows: 'SELECT 0 AS n' };
  // Rows multiply, so filtered counts the input rows left with no value at all, not in - out.
  const allNull = unpivoted.map((column) => `${sqlIdent(column.name)} IS NULL`).join(' AND ');
  return {
    query: `SELECT * FROM (${select}) WHERE ${value} IS NOT NULL`,
    droppedRows: `SELECT count(*) AS n FROM input WHERE ${allNull}`,
  };
};
