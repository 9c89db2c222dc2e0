/**
 * One call on the metadata table: an SDK failure becomes the platform's
 * typed error (transient for throttling and 5xx, terminal otherwise) whose
 * message says what was being done and in which table. Every store sends
 * through this, so the classification is decided in one place.
 */
import { classifyAwsError } from '../aws/s3-errors.ts';

export async function callTable<T>(table: string, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw classifyAwsError(error, `${what} in table ${table}`);
  }
}
