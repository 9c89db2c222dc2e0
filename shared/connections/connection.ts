/**
 * Connections: a name, a type and non-secret settings (kept in the metadata
 * table), plus one secret (kept in the secret store). Nodes name a
 * connection; nothing secret ever sits in a pipeline, an item or the ASL.
 */
import { z } from 'zod';

export const ConnectionNameSchema = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_-]{0,63}$/,
    'must start with a letter and use only letters, digits, _ or - (max 64)',
  );

export const CONNECTION_DEFAULTS = {
  postgresPort: 5432,
  mysqlPort: 3306,
  ssl: false,
  connectTimeoutSeconds: 10,
};

/** Strict, so a password can't be slipped in among the settings. */
function databaseSettings(defaultPort: number) {
  return z.strictObject({
    host: z.string().min(1),
    port: z.int().min(1).max(65535).default(defaultPort),
    database: z.string().min(1),
    user: z.string().min(1),
    ssl: z.boolean().default(CONNECTION_DEFAULTS.ssl).describe('TLS with certificate verification'),
    connect_timeout_seconds: z.int().min(1).max(300).default(CONNECTION_DEFAULTS.connectTimeoutSeconds),
  });
}

/** Settings per connection type; a new type adds its schema here. */
export const CONNECTION_SETTINGS = {
  postgres: databaseSettings(CONNECTION_DEFAULTS.postgresPort),
  mysql: databaseSettings(CONNECTION_DEFAULTS.mysqlPort),
} as const;

export type ConnectionType = keyof typeof CONNECTION_SETTINGS;
export const CONNECTION_TYPES = Object.keys(CONNECTION_SETTINGS) as ConnectionType[];
export type ConnectionSettings<T extends ConnectionType> = z.output<(typeof CONNECTION_SETTINGS)[T]>;
export type DatabaseSettings = ConnectionSettings<'postgres'>;

export function isConnectionType(value: string): value is ConnectionType {
  return Object.hasOwn(CONNECTION_SETTINGS, value);
}

/** What the metadata table holds for a connection: no secret, only whether one is stored. */
export interface ConnectionRecord {
  readonly name: string;
  readonly type: ConnectionType;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly hasSecret: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}
