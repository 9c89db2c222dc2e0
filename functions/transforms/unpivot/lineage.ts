/** Unpivot's lineage: kept columns pass through; the name and value columns come from every unpivoted column. */
import { byOutput, findColumn, passThrough, refsOf } from '../../../shared/lineage/columns.ts';
import type { LineageFunction } from '../../../shared/lineage/types.ts';
import type { UnpivotConfig } from './module.ts';

export const unpivotLineage: LineageFunction<UnpivotConfig> = (config, columns) => {
  const inputs = columns.inputs[0] ?? [];
  const sources = refsOf(config.columns.map((name) => findColumn(inputs, name)?.name ?? name));
  return passThrough(
    columns,
    'direct',
    byOutput([
      { output: config.name_column, inputs: sources, kind: 'derived' },
      { output: config.value_column, inputs: sources, kind: 'derived' },
    ]),
  );
};
