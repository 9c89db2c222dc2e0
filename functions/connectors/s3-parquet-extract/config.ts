/** Config of the `s3-parquet-extract` extractor: Parquet files under an S3 prefix. */
import { z } from 'zod';

export const S3_PARQUET_EXTRACT_DEFAULTS = {
  prefix: '',
  allow_empty: false,
};

export const S3ParquetExtractConfigSchema = z.strictObject({
  bucket: z.string().min(3).describe('Bucket holding the Parquet files'),
  prefix: z
    .string()
    .default(S3_PARQUET_EXTRACT_DEFAULTS.prefix)
    .describe('Key prefix; every Parquet object under it is read'),
  pattern: z.string().optional().describe('Glob on the key after the prefix, e.g. "**/*.parquet"'),
  allow_empty: z
    .boolean()
    .default(S3_PARQUET_EXTRACT_DEFAULTS.allow_empty)
    .describe('Succeed with no rows when no file matches, instead of failing'),
});
export type S3ParquetExtractConfig = z.output<typeof S3ParquetExtractConfigSchema>;
