/** `s3-parquet` loader: Parquet (zstd) under an S3 prefix, optionally Hive-partitioned, committed once per run. */
import { z } from 'zod';
import { DEFAULT_LAMBDA_SIZING, defineModule } from '../../../shared/modules/types.ts';

export const S3_PARQUET_DEFAULTS = {
  prefix: '',
  partition_by: [] as string[],
  compression: 'zstd' as 'zstd' | 'snappy' | 'gzip' | 'uncompressed',
};

export const S3ParquetConfigSchema = z.strictObject({
  bucket: z.string().min(3).describe('Destination bucket'),
  prefix: z
    .string()
    .default(S3_PARQUET_DEFAULTS.prefix)
    .describe('Key prefix of the dataset, e.g. "curated/birdstrikes/"'),
  partition_by: z
    .array(z.string().min(1))
    .default(S3_PARQUET_DEFAULTS.partition_by)
    .describe('Columns for Hive-style partitions (prefix/col=value/...)'),
  compression: z
    .enum(['zstd', 'snappy', 'gzip', 'uncompressed'])
    .default(S3_PARQUET_DEFAULTS.compression)
    .describe('Parquet compression codec'),
});
export type S3ParquetConfig = z.output<typeof S3ParquetConfigSchema>;

export const s3ParquetModule = defineModule({
  name: 's3-parquet',
  kind: 'loader',
  title: 'Parquet on S3',
  description:
    'Writes Parquet (zstd by default) under an S3 prefix, optionally Hive-partitioned; chunks are staged and published once when the run succeeds, with a manifest per run.',
  configSchema: S3ParquetConfigSchema,
  chunkLocal: true,
  lambda: DEFAULT_LAMBDA_SIZING,
});
