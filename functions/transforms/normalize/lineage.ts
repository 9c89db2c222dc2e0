/** Normalize's lineage: a normalized column is derived from itself; the rest pass through. */
import { byOutput, passThrough, refsOf } from '../../../shared/lineage/columns.ts';
import type { LineageFunction } from '../../../shared/lineage/types.ts';
import type { NormalizeConfig } from './module.ts';

export const normalizeLineage: LineageFunction<NormalizeConfig> = (config, columns) => {
  const rejects = config.operations.some(
    (operation) => 'onInvalid' in operation && operation.onInvalid === 'reject',
  );
  const normalized = config.operations.map((operation) => ({
    output: operation.column,
    inputs: refsOf([operation.column]),
    kind: 'derived' as const,
  }));
  return passThrough(columns, rejects ? 'filtered' : 'direct', byOutput(normalized));
};
