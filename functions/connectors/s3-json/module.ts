/** `s3-json`: JSON files under an S3 prefix, either one array per file or newline-delimited. */
import { z } from 'zod';
import { SchemaDriftSchema } from '../../../shared/chunks/schema-drift.ts';
import { DEFAULT_LAMBDA_SIZING, defineModule } from '../../../shared/modules/types.ts';
import { checkDeclaredTypes } from '../s3-csv/module.ts';
import { S3ModeSchema } from '../s3-incremental/config.ts';

export const S3_JSON_DEFAULTS = {
  prefix: '',
  format: 'auto' as 'auto' | 'array' | 'ndjson',
  allow_empty: false,
};

export const S3JsonConfigSchema = z.strictObject({
  bucket: z.string().min(3).describe('Bucket holding the JSON files'),
  prefix: z
    .string()
    .default(S3_JSON_DEFAULTS.prefix)
    .describe('Key prefix; every JSON object under it is read'),
  pattern: z.string().optional().describe('Glob on the key after the prefix, e.g. "*.json"'),
  format: z
    .enum(['auto', 'array', 'ndjson'])
    .default(S3_JSON_DEFAULTS.format)
    .describe(
      '"array": one JSON array of records per file; "ndjson": one record per line; "auto": detect per file',
    ),
  columns: z
    .record(z.string(), z.string().min(1))
    .optional()
    .describe('Declared DuckDB types by field name; other fields are inferred'),
  allow_empty: z
    .boolean()
    .default(S3_JSON_DEFAULTS.allow_empty)
    .describe('Succeed with no rows when no file matches, instead of failing'),
  mode: S3ModeSchema,
  schema_drift: SchemaDriftSchema,
});
export type S3JsonConfig = z.output<typeof S3JsonConfigSchema>;

export const s3JsonModule = defineModule({
  name: 's3-json',
  kind: 'extractor',
  title: 'JSON files on S3',
  description:
    'Reads JSON arrays or newline-delimited JSON under an S3 prefix; newline-delimited files are split into chunks at line boundaries.',
  configSchema: S3JsonConfigSchema,
  chunkLocal: true,
  checkConfig: (config) => checkDeclaredTypes(config.columns),
  lambda: DEFAULT_LAMBDA_SIZING,
});
