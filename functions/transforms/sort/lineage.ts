/** Sort's lineage: every column passes through unchanged, reordered. */
import { passThrough } from '../../../shared/lineage/columns.ts';
import type { LineageFunction } from '../../../shared/lineage/types.ts';
import type { SortConfig } from './module.ts';

export const sortLineage: LineageFunction<SortConfig> = (_config, columns) => passThrough(columns, 'direct');
