/** A Parquet object whose footer cannot be read is the data's fault: terminal, with the object named. */
import { formatS3Uri } from '../../../shared/aws/s3-uri.ts';
import { DataError } from '../../../shared/errors.ts';

export function notParquet(bucket: string, key: string, why: string): DataError {
  return new DataError(`${formatS3Uri(bucket, key)} is not a Parquet file: ${why}`);
}
