/** PostgreSQL failures by SQLSTATE: lost connections, deadlocks and serialization failures are retried. */
import type { EtlError } from '../../../shared/errors.ts';
import { driverErrorShape, networkErrorKind, type SqlErrorKind, sqlError } from '../sql-common/errors.ts';

const TRANSIENT_STATES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
]);

/** Errors node-postgres raises itself, without a SQLSTATE, when the connection drops or times out. */
const TRANSIENT_MESSAGES = [/Connection terminated/i, /timeout expired/i, /connection timeout/i];

export function postgresErrorKind(code: string | undefined, message: string): SqlErrorKind {
  const network = networkErrorKind(code);
  if (network !== undefined) return network;
  if (code === undefined || !/^[0-9A-Z]{5}$/.test(code)) {
    return TRANSIENT_MESSAGES.some((pattern) => pattern.test(message)) ? 'transient' : 'data';
  }
  const sqlClass = code.slice(0, 2);
  if (TRANSIENT_STATES.has(code) || ['08', '53', '58'].includes(sqlClass)) return 'transient';
  if (code === '42P01' || code === '3F000') return 'not-found';
  if (['28', '3D', '42', '0A'].includes(sqlClass)) return 'config';
  return 'data';
}

export function classifyPostgresError(error: unknown, what: string, secret: string | undefined): EtlError {
  const { message, code } = driverErrorShape(error);
  const suffix = code !== undefined && /^[0-9A-Z]{5}$/.test(code) ? ` (SQLSTATE ${code})` : '';
  return sqlError(postgresErrorKind(code, message), `${what}: ${message}${suffix}`, secret);
}
