/**
 * Database failures mapped onto the platform's split: a lost connection, a
 * deadlock or a serialization failure is worth retrying; bad SQL, a missing
 * table, bad credentials or bad data is not. Messages never carry a secret.
 */
import {
  ConfigError,
  DataError,
  type EtlError,
  SourceNotFoundError,
  TransientError,
} from '../../../shared/errors.ts';
import { redactSecret } from '../../../shared/secrets/redact.ts';

export type SqlErrorKind = 'transient' | 'config' | 'not-found' | 'data';

/** Socket-level failures: the server or the network may be back on the next attempt. */
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
]);

export function networkErrorKind(code: string | undefined): SqlErrorKind | undefined {
  if (code === undefined) return undefined;
  if (TRANSIENT_NETWORK_CODES.has(code)) return 'transient';
  // A host name that does not resolve is a typo far more often than an outage.
  if (code === 'ENOTFOUND') return 'config';
  return undefined;
}

/**
 * The typed error for a driver failure, its message redacted. The driver's
 * error is not attached as the cause: some keep the connection config
 * (password included), and loggers serialize causes.
 */
export function sqlError(kind: SqlErrorKind, message: string, secret?: string): EtlError {
  const text = redactSecret(message, secret);
  switch (kind) {
    case 'transient':
      return new TransientError(text);
    case 'config':
      return new ConfigError(text);
    case 'not-found':
      return new SourceNotFoundError(text);
    case 'data':
      return new DataError(text);
  }
}

export interface DriverErrorShape {
  readonly message: string;
  readonly code?: string;
}

export function driverErrorShape(error: unknown): DriverErrorShape {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { message: error.message, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { message: String(error) };
}
