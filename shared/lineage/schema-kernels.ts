/**
 * The data kernels of the transforms, by module name, for describing a
 * node's output columns: each kernel runs over an empty input of the right
 * columns and DuckDB reports what its query would produce. No row is read.
 */
import { aggregateKernel } from '../../functions/transforms/aggregate/kernel.ts';
import { cleanKernel } from '../../functions/transforms/clean/kernel.ts';
import { customKernel } from '../../functions/transforms/custom/kernel.ts';
import { dedupKernel } from '../../functions/transforms/dedup/kernel.ts';
import { deriveKernel } from '../../functions/transforms/derive/kernel.ts';
import { filterKernel } from '../../functions/transforms/filter/kernel.ts';
import { flattenKernel } from '../../functions/transforms/flatten/kernel.ts';
import { joinKernel } from '../../functions/transforms/join/kernel.ts';
import { lookupKernel } from '../../functions/transforms/lookup/kernel.ts';
import { createMaskKernel } from '../../functions/transforms/mask/kernel.ts';
import { normalizeKernel } from '../../functions/transforms/normalize/kernel.ts';
import { pivotKernel } from '../../functions/transforms/pivot/kernel.ts';
import { selectKernel } from '../../functions/transforms/select/kernel.ts';
import { sortKernel } from '../../functions/transforms/sort/kernel.ts';
import { sqlKernel } from '../../functions/transforms/sql/kernel.ts';
import { unionKernel } from '../../functions/transforms/union/kernel.ts';
import { unpivotKernel } from '../../functions/transforms/unpivot/kernel.ts';
import { validateKernel } from '../../functions/transforms/validate/kernel.ts';
import { windowKernel } from '../../functions/transforms/window/kernel.ts';
import type { BarrierKernel, TransformKernel, TransformPlanKernel } from '../modules/kernels.ts';

export type SchemaKernel =
  | { readonly barrier: false; readonly kernel: TransformKernel<never> | TransformPlanKernel<never> }
  | { readonly barrier: true; readonly kernel: BarrierKernel<never> };

const chunkLocal = (kernel: TransformKernel<never> | TransformPlanKernel<never>): SchemaKernel => ({
  barrier: false,
  kernel,
});
const barrier = (kernel: BarrierKernel<never>): SchemaKernel => ({ barrier: true, kernel });

// Describing a hash needs no real key: nothing is hashed, and the secret store is not read.
const PLACEHOLDER_KEY = 'placeholder-key-for-describing';

export const SCHEMA_KERNELS: Readonly<Record<string, SchemaKernel>> = {
  filter: chunkLocal(filterKernel),
  derive: chunkLocal(deriveKernel),
  clean: chunkLocal(cleanKernel),
  select: chunkLocal(selectKernel),
  sql: chunkLocal(sqlKernel),
  validate: chunkLocal(validateKernel),
  normalize: chunkLocal(normalizeKernel),
  mask: chunkLocal(createMaskKernel(async () => PLACEHOLDER_KEY)),
  unpivot: chunkLocal(unpivotKernel),
  flatten: chunkLocal(flattenKernel),
  lookup: chunkLocal(lookupKernel),
  // Runs the user's function on an empty table: its output columns, no rows.
  custom: chunkLocal(customKernel),
  dedup: barrier(dedupKernel),
  aggregate: barrier(aggregateKernel),
  sort: barrier(sortKernel),
  union: barrier(unionKernel),
  join: barrier(joinKernel),
  window: barrier(windowKernel),
  pivot: barrier(pivotKernel),
};
