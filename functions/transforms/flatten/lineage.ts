/** Flatten's lineage: a column made from a nested one is derived from it; the rest pass through. */
import type { LineageFunction } from '../../../shared/lineage/types.ts';
import { flattenedFrom, isList, isStruct } from './kernel.ts';
import type { FlattenConfig } from './module.ts';

export const flattenLineage: LineageFunction<FlattenConfig> = (config, columns) => {
  const inputs = columns.inputs[0] ?? [];
  return columns.outputs.map((output) => {
    const source = flattenedFrom(output.name, inputs, config.separator);
    if (source === undefined) return { output: output.name, inputs: [], kind: 'derived' };
    const nested =
      (isStruct(source) || isList(source)) && (source.name !== output.name || source.type !== output.type);
    return {
      output: output.name,
      inputs: [{ input: 0, column: source.name }],
      kind: nested ? 'derived' : 'direct',
    };
  });
};
