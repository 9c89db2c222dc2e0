/** Dedup's lineage: every column passes through unchanged, on fewer rows. */
import { passThrough } from '../../../shared/lineage/columns.ts';
import type { LineageFunction } from '../../../shared/lineage/types.ts';
import type { DedupConfig } from './module.ts';

export const dedupLineage: LineageFunction<DedupConfig> = (_config, columns) =>
  passThrough(columns, 'filtered');
