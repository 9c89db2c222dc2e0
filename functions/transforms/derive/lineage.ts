/**
 * Derive's lineage: a derived column comes from the input columns its
 * expression reads, following earlier derived columns back to the input.
 */
import { byOutput, findColumn, passThrough, refsOf } from '../../../shared/lineage/columns.ts';
import { expressionColumns } from '../../../shared/lineage/sql-parse.ts';
import type { LineageFunction } from '../../../shared/lineage/types.ts';
import type { ColumnInfo } from '../../../shared/modules/kernels.ts';
import type { DeriveConfig } from './module.ts';

export const deriveLineage: LineageFunction<DeriveConfig> = async (config, columns) => {
  const visible: ColumnInfo[] = [...(columns.inputs[0] ?? [])];
  // Lower-cased name -> the input columns its current value comes from.
  const sources = new Map<string, string[]>();
  for (const derived of config.columns) {
    const read = await expressionColumns(derived.expression, visible);
    const inputs = [...new Set(read.flatMap((name) => sources.get(name.toLowerCase()) ?? [name]))];
    sources.set(derived.name.toLowerCase(), inputs);
    if (findColumn(visible, derived.name) === undefined)
      visible.push({ name: derived.name, type: 'UNKNOWN' });
  }
  const explained = config.columns.map((derived) => ({
    output: derived.name,
    inputs: refsOf(sources.get(derived.name.toLowerCase()) ?? []),
    kind: 'derived' as const,
  }));
  return passThrough(columns, 'direct', byOutput(explained));
};
