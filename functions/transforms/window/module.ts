/** `window`: window functions per partition over the whole input: ranks, lag/lead and running aggregates. */
import { z } from 'zod';
import { type ConfigIssue, DEFAULT_LAMBDA_SIZING, defineModule } from '../../../shared/modules/types.ts';
import { checkExpressions } from '../dedup/module.ts';
import { windowLineage } from './lineage.ts';

export const DEFAULTS = { offset: 1, descending: false, nulls: 'last' } as const;

export const RANKING_FUNCTIONS = ['row_number', 'rank', 'dense_rank'] as const;
export const OFFSET_FUNCTIONS = ['lag', 'lead'] as const;
export const RUNNING_FUNCTIONS = [
  'running_sum',
  'running_avg',
  'running_min',
  'running_max',
  'running_count',
] as const;

export const WindowConfigSchema = z.strictObject({
  partition_by: z
    .array(z.string().min(1))
    .default([])
    .describe('Columns whose equal values form a partition; none makes the whole input one partition'),
  order_by: z
    .array(
      z.strictObject({
        expression: z.string().min(1).describe('SQL expression to order each partition by'),
        descending: z.boolean().default(DEFAULTS.descending),
        nulls: z.enum(['first', 'last']).default(DEFAULTS.nulls),
      }),
    )
    .default([])
    .describe('Order within a partition; ties keep input order (rank and dense_rank treat them as equal)'),
  functions: z
    .array(
      z.strictObject({
        name: z.string().min(1).describe('Output column, added after the input columns'),
        function: z.enum([...RANKING_FUNCTIONS, ...OFFSET_FUNCTIONS, ...RUNNING_FUNCTIONS]),
        expression: z
          .string()
          .min(1)
          .optional()
          .describe('SQL expression: required for lag, lead and the running aggregates but running_count'),
        offset: z.int().min(1).default(DEFAULTS.offset).describe('lag/lead: how many rows back or ahead'),
      }),
    )
    .min(1),
});
export type WindowConfig = z.output<typeof WindowConfigSchema>;
export type WindowFunction = WindowConfig['functions'][number];

function needsExpression(fn: WindowFunction['function']): boolean {
  return fn !== 'running_count' && !(RANKING_FUNCTIONS as readonly string[]).includes(fn);
}

export const windowModule = defineModule({
  name: 'window',
  kind: 'transformer',
  title: 'Window functions',
  description:
    'Adds row_number, rank, dense_rank, lag, lead and running sum/avg/min/max/count columns, computed per partition in a given order over the whole input.',
  configSchema: WindowConfigSchema,
  chunkLocal: false,
  checkConfig: async (config): Promise<ConfigIssue[]> => {
    const missing = config.functions.flatMap((fn, index) =>
      needsExpression(fn.function) && fn.expression === undefined
        ? [{ path: ['functions', index, 'expression'], message: `${fn.function} needs an expression` }]
        : [],
    );
    const sql = await checkExpressions([
      ...config.order_by.map((key, index): [(string | number)[], string] => [
        ['order_by', index, 'expression'],
        key.expression,
      ]),
      ...config.functions.map((fn, index): [(string | number)[], string | undefined] => [
        ['functions', index, 'expression'],
        fn.expression,
      ]),
    ]);
    return [...missing, ...sql];
  },
  lineage: windowLineage,
  lambda: DEFAULT_LAMBDA_SIZING,
});
