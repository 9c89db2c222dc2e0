/**
 * Join's lineage: left columns from input 0, right ones from input 1 (a name
 * the left already uses carries the right suffix), and a key named alike on
 * both sides from both.
 */
import { findColumn } from '../../../shared/lineage/columns.ts';
import type { InputColumnRef, LineageFunction } from '../../../shared/lineage/types.ts';
import type { JoinConfig } from './module.ts';

export const joinLineage: LineageFunction<JoinConfig> = (config, columns) => {
  const [left = [], right = []] = columns.inputs;
  const sharedKeys = new Set(
    config.on
      .filter((pair) => pair.left.toLowerCase() === pair.right.toLowerCase())
      .map((pair) => pair.left.toLowerCase()),
  );
  const rightOf = (name: string): InputColumnRef[] => {
    const column = findColumn(right, name);
    return column === undefined ? [] : [{ input: 1, column: column.name }];
  };
  return columns.outputs.map((output) => {
    const fromLeft = findColumn(left, output.name);
    if (fromLeft !== undefined) {
      const both = sharedKeys.has(fromLeft.name.toLowerCase()) ? rightOf(fromLeft.name) : [];
      return { output: output.name, inputs: [{ input: 0, column: fromLeft.name }, ...both], kind: 'direct' };
    }
    const base = output.name.slice(0, -config.right_suffix.length);
    const suffixed =
      output.name.endsWith(config.right_suffix) && findColumn(left, base) !== undefined ? rightOf(base) : [];
    return {
      output: output.name,
      inputs: suffixed.length > 0 ? suffixed : rightOf(output.name),
      kind: 'direct',
    };
  });
};
