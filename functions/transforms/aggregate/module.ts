/** `aggregate`: group by columns across the whole input, with count, sum, avg, min, max, count distinct. */
import { z } from 'zod';
import { DEFAULT_LAMBDA_SIZING, defineModule } from '../../../shared/modules/types.ts';
import { checkExpressions } from '../dedup/module.ts';
import { aggregateLineage } from './lineage.ts';

export const AGGREGATE_FUNCTIONS = ['count', 'sum', 'avg', 'min', 'max', 'count_distinct'] as const;

export const AggregateConfigSchema = z.strictObject({
  group_by: z
    .array(z.string().min(1))
    .default([])
    .describe('Columns to group by; none gives one row for the whole input'),
  aggregates: z
    .array(
      z.strictObject({
        name: z.string().min(1).describe('Output column name'),
        function: z.enum(AGGREGATE_FUNCTIONS),
        expression: z
          .string()
          .min(1)
          .optional()
          .describe('SQL expression aggregated; required except for count, which counts rows without it'),
      }),
    )
    .min(1),
});
export type AggregateConfig = z.output<typeof AggregateConfigSchema>;

export const aggregateModule = defineModule({
  name: 'aggregate',
  kind: 'transformer',
  title: 'Aggregate (group by)',
  description:
    'Groups rows across the whole input by columns and computes count, sum, avg, min, max or count distinct per group.',
  configSchema: AggregateConfigSchema,
  chunkLocal: false,
  checkConfig: async (config) => {
    const missing = config.aggregates.flatMap((aggregate, index) =>
      aggregate.function !== 'count' && aggregate.expression === undefined
        ? [
            {
              path: ['aggregates', index, 'expression'],
              message: `${aggregate.function} needs an expression`,
            },
          ]
        : [],
    );
    const sql = await checkExpressions(
      config.aggregates.map((aggregate, index): [(string | number)[], string | undefined] => [
        ['aggregates', index, 'expression'],
        aggregate.expression,
      ]),
    );
    return [...missing, ...sql];
  },
  lineage: aggregateLineage,
  lambda: DEFAULT_LAMBDA_SIZING,
});
