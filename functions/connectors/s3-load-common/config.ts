/** Config fields every S3 file loader takes: where the dataset goes and how it is partitioned. */
import { z } from 'zod';

export const S3_LOAD_DEFAULTS = {
  prefix: '',
  partition_by: [] as string[],
  compression: 'none' as 'none' | 'gzip',
};

export const s3LoadFields = {
  bucket: z.string().min(3).describe('Destination bucket'),
  prefix: z
    .string()
    .default(S3_LOAD_DEFAULTS.prefix)
    .describe('Key prefix of the dataset, e.g. "exports/orders/"'),
  partition_by: z
    .array(z.string().min(1))
    .default(S3_LOAD_DEFAULTS.partition_by)
    .describe('Columns for Hive-style partitions (prefix/col=value/...)'),
  compression: z
    .enum(['none', 'gzip'])
    .default(S3_LOAD_DEFAULTS.compression)
    .describe('gzip adds .gz to every file name'),
};

/** `part-0.csv` or `part-0.csv.gz`. */
export function partFileName(extension: string, compression: 'none' | 'gzip'): string {
  return `part-0.${extension}${compression === 'gzip' ? '.gz' : ''}`;
}
