/** The filter's data work: one WHERE over the chunk. */
import { embedSqlExpression } from '../../../shared/duckdb/expression-check.ts';
import type { TransformKernel } from '../../../shared/modules/kernels.ts';
import type { FilterConfig } from './module.ts';

// WHERE keeps only TRUE rows, which is the documented NULL-drops behaviour.
// Without ORDER BY the chunk's row order is kept (preserve_insertion_order).
export const filterKernel: TransformKernel<FilterConfig> = async ({ config }) =>
  `SELECT * FROM input WHERE ${embedSqlExpression(config.expression)}`;
