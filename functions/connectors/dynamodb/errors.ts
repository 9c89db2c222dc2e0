/**
 * DynamoDB failures on the transient / terminal split: throttling, 5xx and
 * unprocessed items left after every attempt are transient; a validation
 * error (wrong key type, item too large) is the data's, terminal.
 */
import { classifyAwsError } from '../../../shared/aws/s3-errors.ts';
import { ConfigError, DataError, TransientError } from '../../../shared/errors.ts';

export function dynamoDbError(error: unknown, what: string): Error {
  const name = (error as { name?: string } | null)?.name;
  if (name === 'ValidationException') {
    return new DataError(`${what}: ${(error as Error).message}`, { cause: error });
  }
  return classifyAwsError(error, what);
}

/** DynamoDB kept returning unprocessed items; Step Functions retries the commit later. */
export function unprocessedItemsError(table: string, left: number, attempts: number): TransientError {
  return new TransientError(
    `table ${table}: ${left} items still unprocessed after ${attempts} BatchWriteItem attempts (throttled); retrying the commit later`,
  );
}

/** The platform's own table is never a pipeline's source or target: its items are other tenants' metadata. */
export function metadataTableRefused(table: string): ConfigError {
  return new ConfigError(`table ${table} is the platform's metadata table; name a table of your own`);
}
