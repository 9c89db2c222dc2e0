/** `derive`: adds computed columns, or recomputes existing ones in place. */
import { z } from 'zod';
import { checkSqlExpression } from '../../../shared/duckdb/expression-check.ts';
import { type ConfigIssue, DEFAULT_LAMBDA_SIZING, defineModule } from '../../../shared/modules/types.ts';
import { deriveLineage } from './lineage.ts';

const DerivedColumnSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .describe(
      'Output column. An existing column of this name is replaced where it stands; otherwise appended.',
    ),
  expression: z
    .string()
    .min(1)
    .describe('DuckDB SQL expression over the columns, e.g. "Cost Repair" + "Cost Other".'),
});

export const DeriveConfigSchema = z.strictObject({
  columns: z
    .array(DerivedColumnSchema)
    .min(1)
    .describe('Computed in order: an expression may use the columns derived before it.'),
});

export type DeriveConfig = z.output<typeof DeriveConfigSchema>;

export const deriveModule = defineModule({
  name: 'derive',
  kind: 'transformer',
  title: 'Derive columns',
  description: 'Adds or replaces columns computed from SQL expressions, each able to use the ones before it.',
  configSchema: DeriveConfigSchema,
  chunkLocal: true,
  checkConfig: async (config: DeriveConfig): Promise<ConfigIssue[]> => {
    const messages = await Promise.all(config.columns.map((column) => checkSqlExpression(column.expression)));
    return messages.flatMap((message, index) =>
      message === undefined ? [] : [{ path: ['columns', index, 'expression'], message }],
    );
  },
  lineage: deriveLineage,
  lambda: DEFAULT_LAMBDA_SIZING,
});
