/** Filter's lineage: every column passes through unchanged, on fewer rows. */
import { passThrough } from '../../../shared/lineage/columns.ts';
import type { LineageFunction } from '../../../shared/lineage/types.ts';
import type { FilterConfig } from './module.ts';

export const filterLineage: LineageFunction<FilterConfig> = (_config, columns) =>
  passThrough(columns, 'filtered');
