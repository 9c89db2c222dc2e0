/** `s3-json-load` loader: NDJSON files under an S3 prefix, staged per chunk and published once per run. */
import { DEFAULT_LAMBDA_SIZING, defineModule } from '../../../shared/modules/types.ts';
import { S3JsonLoadConfigSchema } from './config.ts';

export const s3JsonLoadModule = defineModule({
  name: 's3-json-load',
  kind: 'loader',
  title: 'NDJSON files on S3',
  description:
    'Writes newline-delimited JSON (one object per row; optionally gzip and Hive partitions) under an S3 prefix; chunks are staged and published once when the run succeeds, with a manifest per run.',
  configSchema: S3JsonLoadConfigSchema,
  chunkLocal: true,
  lambda: DEFAULT_LAMBDA_SIZING,
});
