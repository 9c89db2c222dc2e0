/** `pivot`: turns the values of one column into columns, one row per group, over the whole input. */
import { z } from 'zod';
import { type ConfigIssue, DEFAULT_LAMBDA_SIZING, defineModule } from '../../../shared/modules/types.ts';
import { checkExpressions } from '../dedup/module.ts';
import { pivotLineage } from './lineage.ts';

export const PIVOT_AGGREGATES = ['sum', 'count', 'avg', 'min', 'max', 'first'] as const;
export const DEFAULTS = { aggregate: 'sum' } as const;

export const PivotConfigSchema = z.strictObject({
  group_by: z
    .array(z.string().min(1))
    .default([])
    .describe('Columns identifying an output row; none gives one row for the whole input'),
  column: z.string().min(1).describe('The column whose values become output columns'),
  values: z
    .array(z.union([z.string(), z.number(), z.boolean()]))
    .min(1)
    .describe(
      'The values that become columns, in order. Listed, not discovered, so every chunk of the output has the same columns; rows with other values are dropped.',
    ),
  names: z
    .array(z.string().min(1))
    .optional()
    .describe('Output column names, one per value (default: the value as text)'),
  expression: z
    .string()
    .min(1)
    .optional()
    .describe('SQL expression aggregated into each cell; required except for count, which counts rows'),
  aggregate: z.enum(PIVOT_AGGREGATES).default(DEFAULTS.aggregate).describe('first: in input order'),
});
export type PivotConfig = z.output<typeof PivotConfigSchema>;

/** Output column names, one per pivoted value. */
export function pivotNames(config: PivotConfig): string[] {
  return config.values.map((value, index) => config.names?.[index] ?? String(value));
}

export const pivotModule = defineModule({
  name: 'pivot',
  kind: 'transformer',
  title: 'Pivot',
  description:
    'Turns listed values of one column into columns (sum, count, avg, min, max or first of an expression), one row per group, over the whole input.',
  configSchema: PivotConfigSchema,
  chunkLocal: false,
  checkConfig: async (config): Promise<ConfigIssue[]> => {
    const issues: ConfigIssue[] = [];
    if (config.aggregate !== 'count' && config.expression === undefined)
      issues.push({ path: ['expression'], message: `${config.aggregate} needs an expression` });
    if (config.names !== undefined && config.names.length !== config.values.length)
      issues.push({ path: ['names'], message: `needs one name per value (${config.values.length})` });
    const names = pivotNames(config).map((name) => name.toLowerCase());
    const clash = [...names, ...config.group_by.map((name) => name.toLowerCase())].find(
      (name, index, all) => all.indexOf(name) !== index,
    );
    if (clash !== undefined)
      issues.push({
        path: ['values'],
        message: `two output columns would be named ${JSON.stringify(clash)}`,
      });
    return [...issues, ...(await checkExpressions([[['expression'], config.expression]]))];
  },
  lineage: pivotLineage,
  lambda: DEFAULT_LAMBDA_SIZING,
});
