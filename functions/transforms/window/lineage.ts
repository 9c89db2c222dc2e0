/**
 * Window's lineage: input columns pass through; a ranking or offset column is
 * derived from what it reads (its expression, the partition and the order),
 * a running aggregate is aggregated from it.
 */
import { byOutput, passThrough, refsOf } from '../../../shared/lineage/columns.ts';
import { expressionColumns, matchColumns } from '../../../shared/lineage/sql-parse.ts';
import type { ColumnLineage, LineageFunction } from '../../../shared/lineage/types.ts';
import type { WindowConfig } from './module.ts';

export const windowLineage: LineageFunction<WindowConfig> = async (config, columns) => {
  const inputs = columns.inputs[0] ?? [];
  const shared: string[] = matchColumns(config.partition_by, inputs);
  for (const key of config.order_by) shared.push(...(await expressionColumns(key.expression, inputs)));
  const added: ColumnLineage[] = [];
  for (const fn of config.functions) {
    const read = fn.expression === undefined ? [] : await expressionColumns(fn.expression, inputs);
    const names = [...new Set([...read, ...shared])];
    const kind = fn.function.startsWith('running_') ? 'aggregated' : 'derived';
    added.push({ output: fn.name, inputs: refsOf(names), kind });
  }
  return passThrough(columns, 'direct', byOutput(added));
};
