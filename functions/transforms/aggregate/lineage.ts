/** Aggregate's lineage: group columns pass through; each aggregate comes from the columns its expression reads. */
import { findColumn, refsOf } from '../../../shared/lineage/columns.ts';
import { expressionColumns } from '../../../shared/lineage/sql-parse.ts';
import type { LineageFunction } from '../../../shared/lineage/types.ts';
import type { AggregateConfig } from './module.ts';

export const aggregateLineage: LineageFunction<AggregateConfig> = async (config, columns) => {
  const inputs = columns.inputs[0] ?? [];
  const groups = config.group_by.map((name) => {
    const column = findColumn(inputs, name)?.name ?? name;
    return { output: column, inputs: refsOf([column]), kind: 'direct' as const };
  });
  const aggregates = [];
  for (const aggregate of config.aggregates) {
    // count without an expression counts rows: it reads no column.
    const read =
      aggregate.expression === undefined ? [] : await expressionColumns(aggregate.expression, inputs);
    aggregates.push({ output: aggregate.name, inputs: refsOf(read), kind: 'aggregated' as const });
  }
  return [...groups, ...aggregates];
};
