/** `dynamodb` extractor (parallel Scan segments) and `dynamodb-load` loader (BatchWriteItem at Finalize). */
import { DEFAULT_LAMBDA_SIZING, defineModule } from '../../../shared/modules/types.ts';
import { DynamoDbExtractConfigSchema, DynamoDbLoadConfigSchema } from './config.ts';

export const dynamoDbModule = defineModule({
  name: 'dynamodb',
  kind: 'extractor',
  title: 'DynamoDB table',
  description:
    'Reads a DynamoDB table with a parallel Scan, one segment per chunk; numbers keep every digit, maps and lists become structs and lists, a segment with no item takes the columns of a sampled page.',
  configSchema: DynamoDbExtractConfigSchema,
  chunkLocal: true,
  lambda: DEFAULT_LAMBDA_SIZING,
});

export const dynamoDbLoadModule = defineModule({
  name: 'dynamodb-load',
  kind: 'loader',
  title: 'DynamoDB table',
  description:
    "Puts rows as items into an existing DynamoDB table, keyed by the table's key attributes; chunks are staged and written with BatchWriteItem in Finalize (unprocessed items retried with backoff), so a failed run writes nothing and a retried commit writes the same items.",
  configSchema: DynamoDbLoadConfigSchema,
  chunkLocal: true,
  lambda: DEFAULT_LAMBDA_SIZING,
});
