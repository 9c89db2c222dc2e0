/** `s3-parquet-extract`: Parquet files under an S3 prefix, split by row groups. */
import { DEFAULT_LAMBDA_SIZING, defineModule } from '../../../shared/modules/types.ts';
import { S3ParquetExtractConfigSchema } from './config.ts';

export const s3ParquetExtractModule = defineModule({
  name: 's3-parquet-extract',
  kind: 'extractor',
  title: 'Parquet files on S3',
  description:
    'Reads Parquet files under an S3 prefix, split into chunks of whole row groups planned from each footer; a chunk fetches only its row groups and the footer, never the whole file.',
  configSchema: S3ParquetExtractConfigSchema,
  chunkLocal: true,
  lambda: DEFAULT_LAMBDA_SIZING,
});
