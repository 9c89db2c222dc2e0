/** Validate's lineage: values pass through unchanged; rows go only when a rule rejects them. */
import { passThrough } from '../../../shared/lineage/columns.ts';
import type { LineageFunction } from '../../../shared/lineage/types.ts';
import type { ValidateConfig } from './module.ts';

export const validateLineage: LineageFunction<ValidateConfig> = (config, columns) =>
  passThrough(columns, config.rules.some((rule) => rule.severity === 'reject') ? 'filtered' : 'direct');
