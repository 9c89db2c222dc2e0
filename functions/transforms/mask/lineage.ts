/** Mask's lineage: a masked column is derived from itself; the others pass through. */
import { byOutput, passThrough, refsOf } from '../../../shared/lineage/columns.ts';
import type { LineageFunction } from '../../../shared/lineage/types.ts';
import type { MaskConfig } from './module.ts';

export const maskLineage: LineageFunction<MaskConfig> = (config, columns) =>
  passThrough(
    columns,
    'direct',
    byOutput(
      config.columns.map((rule) => ({ output: rule.column, inputs: refsOf([rule.column]), kind: 'derived' })),
    ),
  );
