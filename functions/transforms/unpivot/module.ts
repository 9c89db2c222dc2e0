/** `unpivot`: turns columns into rows of (name, value) pairs; chunk-local. */
import { z } from 'zod';
import { DEFAULT_LAMBDA_SIZING, defineModule } from '../../../shared/modules/types.ts';
import { unpivotLineage } from './lineage.ts';

export const DEFAULTS = { nameColumn: 'name', valueColumn: 'value', includeNulls: false } as const;

export const UnpivotConfigSchema = z.strictObject({
  columns: z
    .array(z.string().min(1))
    .min(1)
    .describe('Columns turned into rows; their values must share a type DuckDB can unify (e.g. numbers)'),
  name_column: z
    .string()
    .min(1)
    .default(DEFAULTS.nameColumn)
    .describe('Output column holding the unpivoted column name'),
  value_column: z.string().min(1).default(DEFAULTS.valueColumn).describe('Output column holding its value'),
  include_nulls: z
    .boolean()
    .default(DEFAULTS.includeNulls)
    .describe('Keep a row for a NULL value (by default NULLs are dropped)'),
});
export type UnpivotConfig = z.output<typeof UnpivotConfigSchema>;

export const unpivotModule = defineModule({
  name: 'unpivot',
  kind: 'transformer',
  title: 'Unpivot',
  description:
    'Turns columns into rows: each input row gives one row per listed column, with the column name and its value; the other columns are repeated.',
  configSchema: UnpivotConfigSchema,
  chunkLocal: true,
  checkConfig: async (config) =>
    config.name_column.toLowerCase() === config.value_column.toLowerCase()
      ? [{ path: ['value_column'], message: 'must differ from name_column' }]
      : [],
  lineage: unpivotLineage,
  lambda: DEFAULT_LAMBDA_SIZING,
});
