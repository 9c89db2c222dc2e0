/**
 * Error taxonomy shared by every handler. The translator's Retry lists only the
 * names of transient errors; everything else fails fast into the Catch.
 */

export type ErrorKind = 'transient' | 'terminal';

/** Base class: every error a handler throws on purpose derives from it. */
export abstract class EtlError extends Error {
  abstract readonly kind: ErrorKind;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The most characters of an error message a run records. DuckDB echoes a
 * whole offending line ("Original Line: ..."), which in a CSV of long quoted
 * fields runs to megabytes: past Step Functions' 256 KB for a state's error
 * and DynamoDB's 400 KB for the item recording it.
 */
export const MAX_ERROR_MESSAGE_CHARS = 4000;

/** `message` cut in the middle to at most about `max` characters: its start says what and where, its end why. */
export function boundedMessage(message: string, max: number = MAX_ERROR_MESSAGE_CHARS): string {
  if (message.length <= max) return message;
  const head = Math.ceil(max * 0.6);
  const tail = max - head;
  const cut = message.length - head - tail;
  return `${message.slice(0, head)} [... ${cut} characters cut ...] ${message.slice(message.length - tail)}`;
}

/** Retrying the same work later may succeed (throttling, a flaky endpoint, a timeout). */
export class TransientError extends EtlError {
  override readonly name: string = 'TransientError';
  readonly kind = 'transient' as const;
}

/** Retrying cannot help: bad config, bad data, a missing source. */
export class TerminalError extends EtlError {
  override readonly name: string = 'TerminalError';
  readonly kind = 'terminal' as const;
}

/** A node's config is invalid for its module (caught by validation, re-checked at run time). */
export class ConfigError extends TerminalError {
  override readonly name: string = 'ConfigError';
}

/** Input data cannot be read or processed as declared (parse, cast or SQL errors on the data). */
export class DataError extends TerminalError {
  override readonly name: string = 'DataError';
}

/** A referenced object, bucket or table does not exist. */
export class SourceNotFoundError extends TerminalError {
  override readonly name: string = 'SourceNotFoundError';
}

/** An event reached a handler in a shape it does not accept: a translator or caller bug. */
export class InvalidEventError extends TerminalError {
  override readonly name: string = 'InvalidEventError';
}

/** Storage (S3, DynamoDB) answered with throttling, a 5xx or a dropped connection. */
export class StorageUnavailableError extends TransientError {
  override readonly name: string = 'StorageUnavailableError';
}

/**
 * Names the translator retries. Lambda's own service errors are transient too,
 * as AWS recommends retrying them for every lambda:invoke Task.
 */
export const TRANSIENT_ERROR_NAMES: readonly string[] = [
  'TransientError',
  'StorageUnavailableError',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
