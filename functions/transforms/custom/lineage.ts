/**
 * Custom's lineage: what a user's code does is not known, so a column that
 * keeps an input's name is derived from it (it may have changed), and a new
 * column is derived from every input column.
 */
import { findColumn, refsOf } from '../../../shared/lineage/columns.ts';
import type { LineageFunction } from '../../../shared/lineage/types.ts';
import type { CustomConfig } from './module.ts';

export const customLineage: LineageFunction<CustomConfig> = (_config, columns) => {
  const inputs = columns.inputs[0] ?? [];
  return columns.outputs.map((output) => {
    const same = findColumn(inputs, output.name);
    return {
      output: output.name,
      inputs: refsOf(same === undefined ? inputs.map((column) => column.name) : [same.name]),
      kind: 'derived',
    };
  });
};
