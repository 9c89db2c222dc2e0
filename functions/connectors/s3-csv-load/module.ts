/** `s3-csv-load` loader: CSV files under an S3 prefix, staged per chunk and published once per run. */
import { DEFAULT_LAMBDA_SIZING, defineModule } from '../../../shared/modules/types.ts';
import { S3CsvLoadConfigSchema } from './config.ts';

export const s3CsvLoadModule = defineModule({
  name: 's3-csv-load',
  kind: 'loader',
  title: 'CSV files on S3',
  description:
    'Writes CSV (header, delimiter, quote, NULL string; optionally gzip and Hive partitions) under an S3 prefix; chunks are staged and published once when the run succeeds, with a manifest per run.',
  configSchema: S3CsvLoadConfigSchema,
  chunkLocal: true,
  lambda: DEFAULT_LAMBDA_SIZING,
});
