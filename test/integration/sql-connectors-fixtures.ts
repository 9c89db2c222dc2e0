/**
 * The real database servers of this machine, for the SQL connector suites:
 * each suite gets its own schema (PostgreSQL) or database (MariaDB), dropped
 * afterwards, and connections registered the way `etl connections add` does.
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { ConnectionType } from '../../shared/connections/connection.ts';
import { connectionDeps } from '../../shared/connections/deps.ts';
import { connectionSecretName } from '../../shared/secrets/secret-store.ts';

export const POSTGRES = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' };
export const MARIADB = { host: '127.0.0.1', port: 3306, user: 'root', database: 'test' };

export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

export interface PostgresFixture {
  readonly schema: string;
  query<T extends unknown[] = unknown[]>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** A fresh schema in the `test` database; `close` drops it with everything in it. */
export async function postgresFixture(): Promise<PostgresFixture> {
  const client = new pg.Client(POSTGRES);
  await client.connect();
  const schema = uniqueName('etl_it');
  await client.query(`CREATE SCHEMA ${schema}`);
  return {
    schema,
    async query<T extends unknown[]>(sql: string, params: unknown[] = []) {
      const result = await client.query<T>({ text: sql, values: params, rowMode: 'array' });
      return result.rows;
    },
    async close() {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}

export interface MariaDbFixture {
  readonly database: string;
  query<T extends unknown[] = unknown[]>(sql: string, params?: unknown[]): Promise<T[]>;
  /** A user that may use the fixture's database only, with this password. */
  createUser(password: string): Promise<string>;
  close(): Promise<void>;
}

/** A fresh database; `close` drops it and any user made for it. */
export async function mariaDbFixture(): Promise<MariaDbFixture> {
  const connection = await mysql.createConnection({
    ...MARIADB,
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
  const database = uniqueName('etl_it');
  // UTC, as the connector's sessions: TIMESTAMP values then read the same here and there.
  await connection.query("SET time_zone = '+00:00'");
  await connection.query(`CREATE DATABASE ${database}`);
  await connection.query(`USE ${database}`);
  const users: string[] = [];
  return {
    database,
    async query<T extends unknown[]>(sql: string, params: unknown[] = []) {
      const [rows] = await connection.query({ sql, rowsAsArray: true }, params);
      return Array.isArray(rows) ? (rows as T[]) : [];
    },
    async createUser(password: string) {
      const user = uniqueName('etl_u');
      // TCP from 127.0.0.1 may be seen as `localhost` or as the address: cover both.
      for (const host of ['localhost', '127.0.0.1', '%']) {
        await connection.query('CREATE USER ?@? IDENTIFIED BY ?', [user, host, password]);
        await connection.query(`GRANT ALL PRIVILEGES ON ${database}.* TO ?@?`, [user, host]);
        users.push(`'${user}'@'${host}'`);
      }
      return user;
    },
    async close() {
      for (const user of users) await connection.query(`DROP USER IF EXISTS ${user}`);
      await connection.query(`DROP DATABASE IF EXISTS ${database}`);
      await connection.end();
    },
  };
}

/** Runs a backend's set-up; if it fails, drops the fixture so nothing is left on the server. */
export async function setUpOrClose<T>(
  fixture: { close(): Promise<void> },
  setUp: () => Promise<T>,
): Promise<T> {
  try {
    return await setUp();
  } catch (error) {
    await fixture.close();
    throw error;
  }
}

/** Registers a connection as `etl connections add` does (settings in DynamoDB, secret in the store). */
export async function addConnection(
  name: string,
  type: ConnectionType,
  settings: Record<string, unknown>,
  secret?: string,
): Promise<void> {
  const deps = connectionDeps();
  if (secret !== undefined) await deps.secrets.put(connectionSecretName(deps.organization, name), secret);
  await deps.connections.put({ name, type, settings, hasSecret: secret !== undefined });
}
