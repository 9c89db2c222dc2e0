/** Union's lineage: an output column comes from the same-named column of every input that has it. */
import { findColumn } from '../../../shared/lineage/columns.ts';
import type { LineageFunction } from '../../../shared/lineage/types.ts';
import type { UnionConfig } from './module.ts';

export const unionLineage: LineageFunction<UnionConfig> = (config, columns) =>
  columns.outputs.map((output) => ({
    output: output.name,
    inputs: columns.inputs.flatMap((input, index) => {
      const column = findColumn(input, output.name);
      return column === undefined ? [] : [{ input: index, column: column.name }];
    }),
    kind: config.distinct ? 'filtered' : 'direct',
  }));
