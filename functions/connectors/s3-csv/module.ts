/** `s3-csv`: CSV files under an S3 prefix, split into record-aligned byte ranges. */
import { z } from 'zod';
import { SchemaDriftSchema } from '../../../shared/chunks/schema-drift.ts';
import { checkSqlType } from '../../../shared/duckdb/expression-check.ts';
import { type ConfigIssue, DEFAULT_LAMBDA_SIZING, defineModule } from '../../../shared/modules/types.ts';
import { S3ModeSchema } from '../s3-incremental/config.ts';

export const S3_CSV_DEFAULTS = {
  prefix: '',
  header: true,
  delimiter: ',',
  quote: '"',
  escape: '"',
  null_strings: [''] as string[],
  allow_empty: false,
};

const oneCharacter = z.string().length(1, 'must be exactly one character');

export const S3CsvConfigSchema = z.strictObject({
  bucket: z.string().min(3).describe('Bucket holding the CSV files'),
  prefix: z
    .string()
    .default(S3_CSV_DEFAULTS.prefix)
    .describe('Key prefix; every CSV object under it is read'),
  pattern: z.string().optional().describe('Glob on the key after the prefix, e.g. "*.csv" or "**/*.csv"'),
  header: z
    .boolean()
    .default(S3_CSV_DEFAULTS.header)
    .describe('The first line of each file names the columns'),
  delimiter: oneCharacter.default(S3_CSV_DEFAULTS.delimiter).describe('Field separator'),
  quote: oneCharacter.default(S3_CSV_DEFAULTS.quote).describe('Quote character'),
  escape: oneCharacter
    .default(S3_CSV_DEFAULTS.escape)
    .describe('Escape character inside quotes (the quote itself means doubled quotes)'),
  columns: z
    .record(z.string(), z.string().min(1))
    .optional()
    .describe('Declared DuckDB types by column name, e.g. {"zip": "VARCHAR"}; other columns are inferred'),
  null_strings: z
    .array(z.string())
    .default(S3_CSV_DEFAULTS.null_strings)
    .describe('Field values read as NULL'),
  allow_empty: z
    .boolean()
    .default(S3_CSV_DEFAULTS.allow_empty)
    .describe('Succeed with no rows when no file matches, instead of failing'),
  mode: S3ModeSchema,
  schema_drift: SchemaDriftSchema,
});
export type S3CsvConfig = z.output<typeof S3CsvConfigSchema>;

export async function checkDeclaredTypes(
  columns: Record<string, string> | undefined,
): Promise<ConfigIssue[]> {
  const issues: ConfigIssue[] = [];
  for (const [column, type] of Object.entries(columns ?? {})) {
    const problem = await checkSqlType(type);
    if (problem) issues.push({ path: ['columns', column], message: problem });
  }
  return issues;
}

export const s3CsvModule = defineModule({
  name: 's3-csv',
  kind: 'extractor',
  title: 'CSV files on S3',
  description:
    'Reads CSV files under an S3 prefix (header, delimiter, quoting, declared or inferred column types), split into record-aligned chunks read in parallel.',
  configSchema: S3CsvConfigSchema,
  chunkLocal: true,
  checkConfig: (config) => checkDeclaredTypes(config.columns),
  lambda: DEFAULT_LAMBDA_SIZING,
});
