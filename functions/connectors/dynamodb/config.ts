/** Config of the `dynamodb` extractor and the `dynamodb-load` loader. */
import { z } from 'zod';

export const DYNAMODB_DEFAULTS = {
  /** BatchWriteItem's own limit. */
  batch_size: 25,
  max_attempts: 8,
  backoff_base_ms: 50,
  max_backoff_ms: 5_000,
  segments: 4,
  page_size: 1_000,
  /** Items the plan reads to type the columns of a segment that turns out empty. */
  sample_items: 100,
};

/** DynamoDB's table name rules; the meta key tells the CDK app to grant this module the named tables. */
export const DynamoDbTableSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{3,255}$/, 'must be a DynamoDB table name (3-255 of letters, digits, _ . -)')
  .meta({ 'x-etl-resource': 'dynamodb-table' })
  .describe('Name of an existing table in the deployment region');

export const DynamoDbLoadConfigSchema = z.strictObject({
  table: DynamoDbTableSchema,
  max_attempts: z
    .int()
    .min(1)
    .max(20)
    .default(DYNAMODB_DEFAULTS.max_attempts)
    .describe(
      'BatchWriteItem calls per batch while DynamoDB returns unprocessed items (exponential backoff)',
    ),
});
export type DynamoDbLoadConfig = z.output<typeof DynamoDbLoadConfigSchema>;

export const DynamoDbExtractConfigSchema = z.strictObject({
  table: DynamoDbTableSchema,
  segments: z
    .int()
    .min(1)
    .max(1_000)
    .default(DYNAMODB_DEFAULTS.segments)
    .describe('Parallel Scan segments, one chunk each'),
  page_size: z
    .int()
    .min(1)
    .max(10_000)
    .default(DYNAMODB_DEFAULTS.page_size)
    .describe('Items per Scan request (Limit)'),
  consistent_read: z.boolean().default(false).describe('Strongly consistent Scan (twice the read capacity)'),
});
export type DynamoDbExtractConfig = z.output<typeof DynamoDbExtractConfigSchema>;
