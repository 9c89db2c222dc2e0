/** `sort`: orders the whole input (every chunk) by expressions. */
import { z } from 'zod';
import { DEFAULT_LAMBDA_SIZING, defineModule } from '../../../shared/modules/types.ts';
import { checkExpressions } from '../dedup/module.ts';
import { sortLineage } from './lineage.ts';

export const SortConfigSchema = z.strictObject({
  by: z
    .array(
      z.strictObject({
        expression: z.string().min(1).describe('SQL expression to sort by, e.g. a column name'),
        descending: z.boolean().default(false),
        nulls: z.enum(['first', 'last']).default('last'),
      }),
    )
    .min(1),
});
export type SortConfig = z.output<typeof SortConfigSchema>;

export const sortModule = defineModule({
  name: 'sort',
  kind: 'transformer',
  title: 'Sort (global)',
  description:
    'Orders every row of the input by SQL expressions into one ordered output; ties keep input order. DuckDB spills to disk past its memory limit.',
  configSchema: SortConfigSchema,
  chunkLocal: false,
  checkConfig: (config) =>
    checkExpressions(
      config.by.map((key, index): [(string | number)[], string] => [
        ['by', index, 'expression'],
        key.expression,
      ]),
    ),
  lineage: sortLineage,
  lambda: DEFAULT_LAMBDA_SIZING,
});
