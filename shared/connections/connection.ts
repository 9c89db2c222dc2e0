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
  httpAuth: 'bearer' as HttpConnectionAuth,
  apiKeyHeader: 'X-API-Key',
  allowPrivateNetwork: false,
  amqpPort: 5672,
  amqpVhost: '/',
};

/** How an `http` connection's secret is sent: the secret is the token, the password or the API key. */
export type HttpConnectionAuth = 'bearer' | 'basic' | 'api_key' | 'none';

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

/** REST, GraphQL and webhook endpoints: a base URL and how the secret authenticates requests to it. */
const httpSettings = z
  .strictObject({
    base_url: z
      .url({ protocol: /^https?$/ })
      .describe('Absolute http(s) URL; `connections test` requests it'),
    auth: z
      .enum(['bearer', 'basic', 'api_key', 'none'])
      .default(CONNECTION_DEFAULTS.httpAuth)
      .describe('bearer token, basic user/password or an API-key header; the secret holds the credential'),
    username: z.string().min(1).optional().describe('User name of basic auth'),
    api_key_header: z
      .string()
      .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'must be an HTTP header name')
      .default(CONNECTION_DEFAULTS.apiKeyHeader)
      .describe('Header carrying the API key'),
    allow_private_network: z
      .boolean()
      .default(CONNECTION_DEFAULTS.allowPrivateNetwork)
      .describe('Allow private and loopback addresses (link-local and metadata addresses never are)'),
  })
  .refine((settings) => settings.auth !== 'basic' || settings.username !== undefined, {
    path: ['username'],
    message: 'basic auth needs a user name',
  });

/** A RabbitMQ (AMQP 0-9-1) broker; the secret is the user's password. */
const amqpSettings = z.strictObject({
  host: z.string().min(1),
  port: z.int().min(1).max(65535).default(CONNECTION_DEFAULTS.amqpPort),
  vhost: z.string().min(1).default(CONNECTION_DEFAULTS.amqpVhost).describe('Virtual host'),
  user: z.string().min(1),
  ssl: z.boolean().default(CONNECTION_DEFAULTS.ssl).describe('amqps with certificate verification'),
  connect_timeout_seconds: z.int().min(1).max(300).default(CONNECTION_DEFAULTS.connectTimeoutSeconds),
});

/** Settings per connection type; a new type adds its schema here. */
export const CONNECTION_SETTINGS = {
  postgres: databaseSettings(CONNECTION_DEFAULTS.postgresPort),
  mysql: databaseSettings(CONNECTION_DEFAULTS.mysqlPort),
  http: httpSettings,
  amqp: amqpSettings,
} as const;

export type ConnectionType = keyof typeof CONNECTION_SETTINGS;
export const CONNECTION_TYPES = Object.keys(CONNECTION_SETTINGS) as ConnectionType[];
export type ConnectionSettings<T extends ConnectionType> = z.output<(typeof CONNECTION_SETTINGS)[T]>;
export type DatabaseSettings = ConnectionSettings<'postgres'>;
export type HttpSettings = ConnectionSettings<'http'>;
export type AmqpSettings = ConnectionSettings<'amqp'>;

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
