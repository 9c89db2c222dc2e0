/** `s3-xml`: XML documents under an S3 prefix, a repeated element to rows. */
import { DEFAULT_LAMBDA_SIZING, defineModule } from '../../../shared/modules/types.ts';
import { S3XmlConfigSchema } from './config.ts';

export const s3XmlModule = defineModule({
  name: 's3-xml',
  kind: 'extractor',
  title: 'XML documents on S3',
  description:
    'Reads XML documents under an S3 prefix, one chunk per document: each element at `record_path` is a row, its attributes and child elements the columns (nested elements as structs).',
  configSchema: S3XmlConfigSchema,
  chunkLocal: true,
  lambda: DEFAULT_LAMBDA_SIZING,
});
