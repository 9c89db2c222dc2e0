/** Maps AWS SDK failures onto the transient / terminal split the translator retries on. */
import { SourceNotFoundError, StorageUnavailableError, TerminalError } from '../errors.ts';

interface SdkErrorShape {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
  code?: string;
}

const NOT_FOUND = new Set(['NoSuchKey', 'NoSuchBucket', 'NotFound', 'ResourceNotFoundException']);
const THROTTLING = new Set([
  'SlowDown',
  'ThrottlingException',
  'Throttling',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalError',
  'ServiceUnavailable',
]);
const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'TimeoutError']);

export function classifyAwsError(error: unknown, what: string): Error {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const name = shape.name ?? '';
  const status = shape.$metadata?.httpStatusCode ?? 0;
  // A thrown string is its own message; other non-errors have none worth showing.
  const text = typeof error === 'string' ? error : shape.message;
  const detail = `${what}: ${name || 'Error'}${text ? ` (${text})` : ''}`;
  if (NOT_FOUND.has(name) || status === 404) return new SourceNotFoundError(detail, { cause: error });
  if (
    THROTTLING.has(name) ||
    NETWORK.has(name) ||
    NETWORK.has(shape.code ?? '') ||
    status >= 500 ||
    status === 429 ||
    shape.$retryable !== undefined
  ) {
    return new StorageUnavailableError(detail, { cause: error });
  }
  return new TerminalError(detail, { cause: error });
}
