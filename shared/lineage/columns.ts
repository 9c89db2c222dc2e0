/** Small builders the modules' lineage functions share. */
import type { ColumnInfo } from '../modules/kernels.ts';
import type { ColumnLineage, InputColumnRef, LineageColumns, LineageKind } from './types.ts';

/** Column names match as DuckDB binds them: case-insensitively. */
export function findColumn(columns: readonly ColumnInfo[], name: string): ColumnInfo | undefined {
  const lower = name.toLowerCase();
  return columns.find((column) => column.name.toLowerCase() === lower);
}

export function refsOf(names: readonly string[], input = 0): InputColumnRef[] {
  return names.map((column) => ({ input, column }));
}

/**
 * Every output column from the same-named column of input 0, unless
 * `explained` already says where it comes from. An output with neither is
 * reported as derived from unknown inputs rather than guessed.
 */
export function passThrough(
  columns: LineageColumns,
  kind: LineageKind,
  explained: ReadonlyMap<string, ColumnLineage> = new Map(),
): ColumnLineage[] {
  const inputs = columns.inputs[0] ?? [];
  return columns.outputs.map((output) => {
    const known = explained.get(output.name.toLowerCase());
    if (known !== undefined) return { ...known, output: output.name };
    const input = findColumn(inputs, output.name);
    return input === undefined
      ? { output: output.name, inputs: [], kind: 'derived' }
      : { output: output.name, inputs: refsOf([input.name]), kind };
  });
}

/** Keys a list of lineage entries by lower-cased output name, for `passThrough`. */
export function byOutput(entries: readonly ColumnLineage[]): Map<string, ColumnLineage> {
  return new Map(entries.map((entry) => [entry.output.toLowerCase(), entry]));
}
