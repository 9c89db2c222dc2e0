/** `filter`: keeps the rows of a chunk for which a SQL condition is TRUE. */
import { z } from 'zod';
import { checkSqlExpression } from '../../../shared/duckdb/expression-check.ts';
import { type ConfigIssue, DEFAULT_LAMBDA_SIZING, defineModule } from '../../../shared/modules/types.ts';
import { filterLineage } from './lineage.ts';

export const FilterConfigSchema = z.strictObject({
  expression: z
    .string()
    .min(1)
    .describe(
      'DuckDB SQL condition over the columns, e.g. "Cost Total $" > 0 AND "Origin State" = getvariable(\'state\'). ' +
        'Rows where it is TRUE are kept; FALSE and NULL drop the row.',
    ),
});

export type FilterConfig = z.output<typeof FilterConfigSchema>;

export const filterModule = defineModule({
  name: 'filter',
  kind: 'transformer',
  title: 'Filter rows',
  description:
    'Keeps the rows for which a SQL condition is TRUE; rows where it is FALSE or NULL are dropped.',
  configSchema: FilterConfigSchema,
  chunkLocal: true,
  checkConfig: async (config: FilterConfig): Promise<ConfigIssue[]> => {
    const message = await checkSqlExpression(config.expression);
    return message === undefined ? [] : [{ path: ['expression'], message }];
  },
  lineage: filterLineage,
  lambda: DEFAULT_LAMBDA_SIZING,
});
