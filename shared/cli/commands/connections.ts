/**
 * `etl connections add|list|test|remove`: connections of the local runtime.
 * Settings go to the metadata table, the secret to the secret store; the
 * secret is read from stdin or a hidden prompt and never printed.
 */
import type { Command, Option } from 'commander';
import { resolveHttpConnection } from '../../../functions/connectors/http-common/connection-auth.ts';
import { probeHttpConnection } from '../../../functions/connectors/http-common/probe.ts';
import { mysqlDialect } from '../../../functions/connectors/mysql/dialect.ts';
import { postgresDialect } from '../../../functions/connectors/postgres/dialect.ts';
import { openAmqp } from '../../../functions/connectors/rabbitmq/client.ts';
import type { SqlDialect } from '../../../functions/connectors/sql-common/session.ts';
import {
  CONNECTION_DEFAULTS,
  CONNECTION_SETTINGS,
  CONNECTION_TYPES,
  ConnectionNameSchema,
  type ConnectionRecord,
  type ConnectionType,
  isConnectionType,
} from '../../connections/connection.ts';
import { connectionDeps } from '../../connections/deps.ts';
import { ConfigError } from '../../errors.ts';
import { startLocalServices } from '../../runtime/local-services.ts';
import { readSecretInput } from '../../secrets/read-secret-input.ts';
import { connectionSecretName } from '../../secrets/secret-store.ts';
import { formatDuration, renderTable } from '../format.ts';

/** How `connections test` reaches each type: open a session and ask the server its version. */
const DIALECTS: Readonly<Record<Exclude<ConnectionType, 'http' | 'amqp'>, SqlDialect>> = {
  postgres: postgresDialect,
  mysql: mysqlDialect,
};

export interface AddConnectionOptions {
  readonly dataDir: string;
  readonly type: string;
  readonly host?: string;
  readonly port?: number;
  readonly database?: string;
  readonly user?: string;
  readonly ssl?: boolean;
  readonly connectTimeout?: number;
  /** `http`: the base URL, how the secret is sent, the API-key header, private addresses allowed. */
  readonly url?: string;
  readonly auth?: string;
  readonly header?: string;
  readonly allowPrivateNetwork?: boolean;
  /** `amqp`: the broker's virtual host. */
  readonly vhost?: string;
  /** False with `--no-secret` (e.g. a database that trusts local connections). */
  readonly secret: boolean;
}

function parseName(name: string): string {
  const parsed = ConnectionNameSchema.safeParse(name);
  if (!parsed.success)
    throw new ConfigError(`connection name ${JSON.stringify(name)} ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** The settings a type takes, from the flags; a flag of another type is refused by the strict schema. */
function givenSettings(type: ConnectionType, options: AddConnectionOptions): Record<string, unknown> {
  if (type === 'http') {
    return {
      base_url: options.url,
      auth: options.auth,
      username: options.user,
      api_key_header: options.header,
      allow_private_network: options.allowPrivateNetwork,
      host: options.host,
      port: options.port,
      database: options.database,
    };
  }
  return {
    host: options.host,
    port: options.port,
    ...(type === 'amqp' ? { vhost: options.vhost } : { database: options.database, vhost: options.vhost }),
    user: options.user,
    ssl: options.ssl,
    connect_timeout_seconds: options.connectTimeout,
    base_url: options.url,
    auth: options.auth,
  };
}

/** Flag of each settings field whose flag is not the field's own name. */
const FLAGS: Readonly<Record<string, string>> = {
  base_url: '--url',
  username: '--user',
  api_key_header: '--header',
};

function parseSettings(type: ConnectionType, options: AddConnectionOptions): Record<string, unknown> {
  const given = givenSettings(type, options);
  const defined = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined));
  const parsed = CONNECTION_SETTINGS[type].safeParse(defined);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const fields = issue.code === 'unrecognized_keys' ? issue.keys : [String(issue.path[0] ?? '')];
      const flags = fields.map((field) => FLAGS[field] ?? `--${field.replaceAll('_', '-')}`).join(', ');
      const message =
        issue.code === 'unrecognized_keys' ? `not a setting of ${type} connections` : issue.message;
      return `${flags}: ${message}`;
    });
    throw new ConfigError(`invalid ${type} connection: ${problems.join('; ')}`);
  }
  return parsed.data;
}

export async function addConnectionCommand(name: string, options: AddConnectionOptions): Promise<void> {
  const connection = parseName(name);
  if (!isConnectionType(options.type)) {
    throw new ConfigError(
      `unknown connection type ${options.type}; known types: ${CONNECTION_TYPES.join(', ')}`,
    );
  }
  const type = options.type;
  const settings = parseSettings(type, options);
  // Read before starting anything, so a cancelled prompt leaves no trace.
  const secret =
    options.secret && settings.auth !== 'none'
      ? await readSecretInput(
          { stdin: process.stdin, stderr: process.stderr },
          `secret of connection ${connection} (not echoed): `,
        )
      : '';
  const services = await startLocalServices(options.dataDir);
  try {
    const deps = connectionDeps();
    const secretName = connectionSecretName(deps.organization, connection);
    if (secret === '') await deps.secrets.delete(secretName);
    else await deps.secrets.put(secretName, secret);
    await deps.connections.put({ name: connection, type, settings, hasSecret: secret !== '' });
    const where = secret === '' ? 'no secret' : `secret in ${deps.secrets.location}`;
    console.log(`connection ${connection} saved (${type} ${describeSettings(settings)}; ${where})`);
  } finally {
    await services.stop();
  }
}

function describeSettings(settings: Readonly<Record<string, unknown>>): string {
  if (typeof settings.base_url === 'string') {
    const url = new URL(settings.base_url);
    return `${url.origin}${url.pathname} (${String(settings.auth ?? CONNECTION_DEFAULTS.httpAuth)} auth)`;
  }
  const database = typeof settings.vhost === 'string' ? settings.vhost : settings.database;
  return `${String(settings.user)}@${String(settings.host)}:${String(settings.port)}/${String(database)}`;
}

export async function listConnectionsCommand(options: { dataDir: string }): Promise<void> {
  const services = await startLocalServices(options.dataDir);
  try {
    const records = await connectionDeps().connections.list();
    if (records.length === 0) {
      console.log(`no connections in ${services.dataDir} (add one with etl connections add)`);
      return;
    }
    console.log(
      renderTable(
        ['name', 'type', 'address', 'ssl', 'secret', 'updated'],
        records.map((record) => [
          record.name,
          record.type,
          describeSettings(record.settings),
          record.settings.ssl === true ? 'yes' : 'no',
          record.hasSecret ? 'stored' : 'none',
          record.updatedAt,
        ]),
      ),
    );
  } finally {
    await services.stop();
  }
}

/** Returns the exit code: 1 when the connection fails. */
export async function testConnectionCommand(name: string, options: { dataDir: string }): Promise<number> {
  const services = await startLocalServices(options.dataDir);
  try {
    const record = await connectionDeps().connections.get(parseName(name));
    if (record === undefined) {
      console.error(`etl: no connection ${name} in ${services.dataDir} (see etl connections list)`);
      return 1;
    }
    if (record.type === 'http') return await testHttpConnection(record);
    if (record.type === 'amqp') return await testAmqpConnection(record);
    const startedAt = performance.now();
    const session = await DIALECTS[record.type].open(record.name);
    try {
      const { rows } = await session.query('SELECT version()');
      const elapsed = formatDuration(Math.round(performance.now() - startedAt));
      console.log(`connection ${record.name} ok: ${String(rows[0]?.[0] ?? 'connected')} (${elapsed})`);
      return 0;
    } finally {
      await session.close();
    }
  } finally {
    await services.stop();
  }
}

/** A HEAD (or GET) to the base URL through the SSRF guard; 4xx and 5xx fail the test. */
async function testHttpConnection(record: ConnectionRecord): Promise<number> {
  const startedAt = performance.now();
  const result = await probeHttpConnection(await resolveHttpConnection(record.name), {
    timeoutSeconds: CONNECTION_DEFAULTS.connectTimeoutSeconds,
  });
  const elapsed = formatDuration(Math.round(performance.now() - startedAt));
  if (!result.ok) {
    console.error(`etl: connection ${record.name} failed: ${result.message} (${elapsed})`);
    return 1;
  }
  console.log(`connection ${record.name} ok: ${result.message} (${elapsed})`);
  return 0;
}

/** Logs in to the broker and reports what it announces. */
async function testAmqpConnection(record: ConnectionRecord): Promise<number> {
  const startedAt = performance.now();
  const session = await openAmqp(record.name);
  await session.close();
  const elapsed = formatDuration(Math.round(performance.now() - startedAt));
  console.log(`connection ${record.name} ok: ${session.server} at ${session.where} (${elapsed})`);
  return 0;
}

export async function removeConnectionCommand(name: string, options: { dataDir: string }): Promise<number> {
  const connection = parseName(name);
  const services = await startLocalServices(options.dataDir);
  try {
    const deps = connectionDeps();
    await deps.secrets.delete(connectionSecretName(deps.organization, connection));
    if (!(await deps.connections.delete(connection))) {
      console.error(`etl: no connection ${connection} in ${services.dataDir}`);
      return 1;
    }
    console.log(`connection ${connection} removed, with its secret`);
    return 0;
  } finally {
    await services.stop();
  }
}

function parsePositiveInt(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new ConfigError(`not a positive integer: ${value}`);
  return number;
}

/** Adds `etl connections ...` to the program; `dataDir` makes the shared `--data-dir` option. */
export function registerConnectionCommands(program: Command, dataDir: () => Option): void {
  const connections = program
    .command('connections')
    .description('manage named connections: settings in the metadata store, secrets in the secret store');

  connections
    .command('add <name>')
    .description('create or replace a connection; the secret is read from stdin or a hidden prompt')
    .requiredOption('--type <type>', `connection type (${CONNECTION_TYPES.join(', ')})`)
    .option('--url <url>', 'http: base URL (requested by `connections test`)')
    .option('--auth <kind>', 'http: bearer, basic, api_key or none (default: bearer)')
    .option('--header <name>', 'http: header carrying the API key (default: X-API-Key)')
    .option('--allow-private-network', 'http: allow private and loopback addresses')
    .option('--host <host>', 'server host name')
    .option('--port <port>', "server port (default: the type's usual port)", parsePositiveInt)
    .option('--database <name>', 'database name')
    .option('--vhost <name>', 'amqp: virtual host (default: /)')
    .option('--user <user>', 'user name (http: the basic-auth user)')
    .option('--ssl', 'use TLS with certificate verification')
    .option('--connect-timeout <seconds>', 'connection timeout', parsePositiveInt)
    .option('--no-secret', 'store no secret (the server needs no password)')
    .addOption(dataDir())
    .action((name: string, options: AddConnectionOptions) => addConnectionCommand(name, options));

  connections
    .command('list')
    .description('list connections (never their secrets)')
    .addOption(dataDir())
    .action((options: { dataDir: string }) => listConnectionsCommand(options));

  connections
    .command('test <name>')
    .description('connect and ask the server its version (http: a HEAD or GET to the base URL)')
    .addOption(dataDir())
    .action(async (name: string, options: { dataDir: string }) => {
      process.exitCode = await testConnectionCommand(name, options);
    });

  connections
    .command('remove <name>')
    .description('remove a connection and its secret')
    .addOption(dataDir())
    .action(async (name: string, options: { dataDir: string }) => {
      process.exitCode = await removeConnectionCommand(name, options);
    });
}
