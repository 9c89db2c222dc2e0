/** Select's lineage: each kept column, renamed or not, from its input column; a cast one is derived. */
import { findColumn, refsOf } from '../../../shared/lineage/columns.ts';
import type { LineageFunction } from '../../../shared/lineage/types.ts';
import type { SelectConfig } from './module.ts';

function keyed<T>(entries: Record<string, T>, name: string): T | undefined {
  return Object.entries(entries).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
}

export const selectLineage: LineageFunction<SelectConfig> = (config, columns) => {
  const inputs = columns.inputs[0] ?? [];
  const kept =
    config.columns?.map((name) => findColumn(inputs, name)?.name ?? name) ?? inputs.map((c) => c.name);
  return kept.map((name) => ({
    output: keyed(config.rename, name) ?? name,
    inputs: refsOf([name]),
    kind: keyed(config.cast, name) === undefined ? 'direct' : 'derived',
  }));
};
