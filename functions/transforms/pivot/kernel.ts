/** Pivot's data work: a group's rows share a bucket; each cell aggregates the rows with its value. */
import { embedSqlExpression } from '../../../shared/duckdb/expression-check.ts';
import { sqlIdent, sqlLiteral } from '../../../shared/duckdb/sql.ts';
import type { BarrierKernel, ColumnInfo } from '../../../shared/modules/kernels.ts';
import { resolveColumn } from '../columns.ts';
import { type PivotConfig, pivotNames } from './module.ts';

function groupColumns(config: PivotConfig, columns: readonly ColumnInfo[]): string[] {
  return config.group_by.map((name) =>
    sqlIdent(resolveColumn(columns, name, { module: 'pivot', field: 'group_by' }).name),
  );
}

function cell(config: PivotConfig, filter: string): string {
  const value = config.expression === undefined ? '*' : embedSqlExpression(config.expression);
  // `first` in input order, so the same row wins however the input was chunked.
  if (config.aggregate === 'first')
    return `first(${value} ORDER BY _etl_chunk, _etl_row) FILTER (WHERE ${filter})`;
  return `${config.aggregate}(${value}) FILTER (WHERE ${filter})`;
}

export const pivotKernel: BarrierKernel<PivotConfig> = {
  partitionKey: (config, _input, columns) => {
    const groups = groupColumns(config, columns);
    return groups.length === 0 ? undefined : groups.join(', ');
  },
  async reduce({ config, inputColumns }) {
    const columns = inputColumns[0] ?? [];
    const pivot = sqlIdent(resolveColumn(columns, config.column, { module: 'pivot', field: 'column' }).name);
    const groups = groupColumns(config, columns);
    const names = pivotNames(config);
    const cells = config.values.map(
      (value, index) =>
        `${cell(config, `${pivot} = ${sqlLiteral(value)}`)} AS ${sqlIdent(names[index] ?? String(value))}`,
    );
    const listed = config.values.map(sqlLiteral).join(', ');
    const select = `SELECT ${[...groups, ...cells].join(', ')} FROM input WHERE ${pivot} IN (${listed})`;
    return groups.length === 0
      ? select
      : `${select} GROUP BY ${groups.join(', ')} ORDER BY ${groups.join(', ')}`;
  },
};
