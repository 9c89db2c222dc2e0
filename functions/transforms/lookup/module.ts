/** `lookup`: enriches rows from a small reference file on S3 (CSV or Parquet), matched by key columns; chunk-local. */
import { z } from 'zod';
import { checkSqlType } from '../../../shared/duckdb/expression-check.ts';
import { type ConfigIssue, DEFAULT_LAMBDA_SIZING, defineModule } from '../../../shared/modules/types.ts';
import { lookupLineage } from './lineage.ts';

export const DEFAULTS = { format: 'auto', prefix: '' } as const;

export const LookupConfigSchema = z.strictObject({
  bucket: z.string().min(3).describe('Bucket holding the reference file'),
  key: z
    .string()
    .min(1)
    .describe('Key of the reference file, read once per process and reused while it is unchanged'),
  format: z
    .enum(['auto', 'csv', 'parquet'])
    .default(DEFAULTS.format)
    .describe("auto: by the key's extension (.parquet, else CSV)"),
  on: z
    .array(z.strictObject({ column: z.string().min(1), reference: z.string().min(1) }))
    .min(1)
    .describe('Pairs of an input column and the reference column it matches; compared as text'),
  columns: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('Reference columns to add (default: every one but the keys)'),
  types: z
    .record(z.string(), z.string().min(1))
    .optional()
    .describe(
      'CSV only: declared DuckDB types by reference column, e.g. {"zip": "VARCHAR"} to keep leading zeros; others are inferred',
    ),
  prefix: z.string().default(DEFAULTS.prefix).describe('Put before the added columns\' names, e.g. "ref_"'),
});
export type LookupConfig = z.output<typeof LookupConfigSchema>;

export const lookupModule = defineModule({
  name: 'lookup',
  kind: 'transformer',
  title: 'Lookup (enrich from a reference file)',
  description:
    'Adds columns from a small reference file on S3 (CSV or Parquet) to each row whose keys match (a left join: unmatched rows get NULLs; the first reference row of a key wins).',
  configSchema: LookupConfigSchema,
  chunkLocal: true,
  checkConfig: async (config): Promise<ConfigIssue[]> => {
    const issues: ConfigIssue[] = [];
    for (const [column, type] of Object.entries(config.types ?? {})) {
      const problem = await checkSqlType(type);
      if (problem !== undefined) issues.push({ path: ['types', column], message: problem });
    }
    return issues;
  },
  lineage: lookupLineage,
  lambda: DEFAULT_LAMBDA_SIZING,
});
