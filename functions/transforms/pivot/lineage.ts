/** Pivot's lineage: group columns pass through; each pivoted column aggregates the expression and the pivot column. */
import { findColumn, refsOf } from '../../../shared/lineage/columns.ts';
import { expressionColumns } from '../../../shared/lineage/sql-parse.ts';
import type { ColumnLineage, LineageFunction } from '../../../shared/lineage/types.ts';
import { type PivotConfig, pivotNames } from './module.ts';

export const pivotLineage: LineageFunction<PivotConfig> = async (config, columns) => {
  const inputs = columns.inputs[0] ?? [];
  const groups: ColumnLineage[] = config.group_by.map((name) => {
    const column = findColumn(inputs, name)?.name ?? name;
    return { output: column, inputs: refsOf([column]), kind: 'direct' };
  });
  const read = config.expression === undefined ? [] : await expressionColumns(config.expression, inputs);
  const pivot = findColumn(inputs, config.column)?.name ?? config.column;
  const sources = refsOf([...new Set([...read, pivot])]);
  return [
    ...groups,
    ...pivotNames(config).map((output) => ({ output, inputs: sources, kind: 'aggregated' as const })),
  ];
};
