/** Clean's lineage: trimmed, case-mapped or null-token columns are derived from themselves; dedup drops rows. */
import { byOutput, findColumn, passThrough, refsOf } from '../../../shared/lineage/columns.ts';
import type { LineageFunction } from '../../../shared/lineage/types.ts';
import { isTextColumn } from '../columns.ts';
import type { CleanConfig } from './module.ts';

export const cleanLineage: LineageFunction<CleanConfig> = (config, columns) => {
  const inputs = columns.inputs[0] ?? [];
  const text = inputs.filter(isTextColumn).map((column) => column.name);
  const named = (names: readonly string[]) => names.flatMap((name) => findColumn(inputs, name)?.name ?? []);
  const touched = new Set([
    ...(config.trim === true ? text : config.trim === false ? [] : named(config.trim)),
    ...named(Object.keys(config.case)),
    ...(config.null_tokens.length > 0 ? text : []),
  ]);
  const cleaned = [...touched].map((name) => ({
    output: name,
    inputs: refsOf([name]),
    kind: 'derived' as const,
  }));
  return passThrough(columns, config.dedup_by.length > 0 ? 'filtered' : 'direct', byOutput(cleaned));
};
