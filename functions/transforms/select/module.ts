/** `select`: keeps, orders, renames and casts columns. */
import { z } from 'zod';
import { checkSqlType } from '../../../shared/duckdb/expression-check.ts';
import { type ConfigIssue, DEFAULT_LAMBDA_SIZING, defineModule } from '../../../shared/modules/types.ts';
import { selectLineage } from './lineage.ts';

export const DEFAULTS: { rename: Record<string, string>; cast: Record<string, string> } = {
  rename: {},
  cast: {},
};

const columnName = z.string().min(1);

export const SelectConfigSchema = z.strictObject({
  columns: z
    .array(columnName)
    .min(1)
    .optional()
    .describe('Input columns to keep, in output order. Omit to keep every column in input order.'),
  rename: z
    .record(columnName, columnName)
    .default(DEFAULTS.rename)
    .describe('New names by input column name, e.g. {"Cost Total $": "cost_total"}.'),
  cast: z
    .record(columnName, z.string().min(1))
    .default(DEFAULTS.cast)
    .describe(
      'DuckDB types by input column name, e.g. {"Flight Date": "DATE"}. A value that does not convert fails the run.',
    ),
});

export type SelectConfig = z.output<typeof SelectConfigSchema>;

export const selectModule = defineModule({
  name: 'select',
  kind: 'transformer',
  title: 'Select columns',
  description: 'Keeps and orders columns, renames them and casts them to DuckDB types.',
  configSchema: SelectConfigSchema,
  chunkLocal: true,
  checkConfig: async (config: SelectConfig): Promise<ConfigIssue[]> => {
    const entries = Object.entries(config.cast);
    const messages = await Promise.all(entries.map(([, type]) => checkSqlType(type)));
    return entries.flatMap(([column], index) => {
      const message = messages[index];
      return message === undefined ? [] : [{ path: ['cast', column], message }];
    });
  },
  lineage: selectLineage,
  lambda: DEFAULT_LAMBDA_SIZING,
});
