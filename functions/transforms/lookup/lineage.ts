/** Lookup's lineage: input columns pass through; an added column is derived from the key columns it was looked up by. */
import { byOutput, findColumn, passThrough, refsOf } from '../../../shared/lineage/columns.ts';
import type { LineageFunction } from '../../../shared/lineage/types.ts';
import type { LookupConfig } from './module.ts';

export const lookupLineage: LineageFunction<LookupConfig> = (config, columns) => {
  const inputs = columns.inputs[0] ?? [];
  const keys = refsOf(config.on.map((pair) => findColumn(inputs, pair.column)?.name ?? pair.column));
  const added = columns.outputs
    .filter((output) => findColumn(inputs, output.name) === undefined)
    .map((output) => ({ output: output.name, inputs: keys, kind: 'derived' as const }));
  return passThrough(columns, 'direct', byOutput(added));
};
