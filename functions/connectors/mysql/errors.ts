/** MySQL/MariaDB failures by error number: lost connections, deadlocks and lock timeouts are retried. */
import type { EtlError } from '../../../shared/errors.ts';
import { driverErrorShape, networkErrorKind, type SqlErrorKind, sqlError } from '../sql-common/errors.ts';

const TRANSIENT = new Set([
  1040, // too many connections
  1053, // server shutdown in progress
  1205, // lock wait timeout
  1213, // deadlock
  1927, // connection killed
  2002, // can't connect through socket
  2003, // can't connect to server
  2006, // server has gone away
  2013, // lost connection during query
  4031, // disconnected by the server for inactivity
]);
const NOT_FOUND = new Set([
  1051, // unknown table
  1146, // table doesn't exist
]);
const CONFIG = new Set([
  1044, // access denied to database
  1045, // access denied (bad user or password)
  1046, // no database selected
  1049, // unknown database
  1052, // ambiguous column
  1054, // unknown column
  1060, // duplicate column name
  1064, // syntax error
  1142, // command denied
  1143, // column access denied
  1149, // syntax error
  1227, // access denied (privilege)
]);

export function mysqlErrorKind(errno: number | undefined, code: string | undefined): SqlErrorKind {
  const network = networkErrorKind(code);
  if (network !== undefined) return network;
  if (errno === undefined) return 'data';
  if (TRANSIENT.has(errno)) return 'transient';
  if (NOT_FOUND.has(errno)) return 'not-found';
  if (CONFIG.has(errno)) return 'config';
  return 'data';
}

export function classifyMysqlError(error: unknown, what: string, secret: string | undefined): EtlError {
  const { message, code } = driverErrorShape(error);
  const errno = (error as { errno?: unknown }).errno;
  const number = typeof errno === 'number' ? errno : undefined;
  const suffix = number !== undefined && code !== undefined ? ` (${code}, ${number})` : '';
  return sqlError(mysqlErrorKind(number, code), `${what}: ${message}${suffix}`, secret);
}
