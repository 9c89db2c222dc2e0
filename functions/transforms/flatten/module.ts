/** `flatten`: nested columns to flat ones: struct fields become columns, list elements become rows; chunk-local. */
import { z } from 'zod';
import { DEFAULT_LAMBDA_SIZING, defineModule } from '../../../shared/modules/types.ts';
import { flattenLineage } from './lineage.ts';

export const DEFAULTS = { separator: '_', keepEmpty: true, maxSteps: 16 } as const;

export const FlattenConfigSchema = z.strictObject({
  columns: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('STRUCT or LIST columns to flatten, with everything nested in them (default: every one)'),
  separator: z
    .string()
    .min(1)
    .default(DEFAULTS.separator)
    .describe('Joins a struct column and its field into the new column name, e.g. location_lat'),
  keep_empty: z
    .boolean()
    .default(DEFAULTS.keepEmpty)
    .describe('A row whose list is empty or NULL stays, with NULL in place of an element'),
  max_steps: z
    .int()
    .min(1)
    .max(64)
    .default(DEFAULTS.maxSteps)
    .describe('Nesting levels undone at most (each struct level or list is one); deeper values stay nested'),
});
export type FlattenConfig = z.output<typeof FlattenConfigSchema>;

export const flattenModule = defineModule({
  name: 'flatten',
  kind: 'transformer',
  title: 'Flatten nested data',
  description:
    'Flattens nested columns (e.g. from JSON): struct fields become columns named parent_field, list elements become rows (one list after another, so two lists give every pair).',
  configSchema: FlattenConfigSchema,
  chunkLocal: true,
  lineage: flattenLineage,
  lambda: DEFAULT_LAMBDA_SIZING,
});
