/**
 * A session on PostgreSQL through node-postgres: reads stream through a
 * server-side cursor (pg-cursor), every value comes back as the server's
 * text, and the session pins UTC and ISO output so that text is unambiguous.
 */
import pg from 'pg';
import Cursor from 'pg-cursor';
import type { ResolvedConnection } from '../../../shared/connections/resolve.ts';
import type { EtlError } from '../../../shared/errors.ts';
import type { BindValue, QueryResult, RowBatch, RowValue, SqlSession } from '../sql-common/session.ts';
import { classifyPostgresError } from './errors.ts';
import { postgresColumn, RAW_TEXT_TYPES } from './types.ts';

const DEFAULT_SCHEMA = 'public';
const SESSION_OPTIONS = '-c TimeZone=UTC -c DateStyle=ISO -c IntervalStyle=postgres';

type RawRow = (string | null)[];

function readCursor(
  cursor: Cursor<RawRow>,
  rows: number,
): Promise<{ rows: RawRow[]; result: pg.QueryResult }> {
  return new Promise((resolve, reject) => {
    cursor.read(rows, (error, read, result) => (error ? reject(error) : resolve({ rows: read, result })));
  });
}

class PostgresSession implements SqlSession {
  readonly defaultSchema = DEFAULT_SCHEMA;

  constructor(
    private readonly client: pg.Client,
    private readonly connection: ResolvedConnection<'postgres'>,
  ) {}

  private fail(error: unknown, what: string): EtlError {
    return classifyPostgresError(
      error,
      `${what} (postgres connection ${this.connection.name})`,
      this.connection.secret,
    );
  }

  async *stream(sql: string, params: readonly BindValue[], batchRows: number): AsyncGenerator<RowBatch> {
    const cursor = this.client.query(
      new Cursor<RawRow>(sql, [...params], { rowMode: 'array', types: RAW_TEXT_TYPES }),
    );
    try {
      let columns: ReturnType<typeof postgresColumn>[] | undefined;
      for (;;) {
        const read = await readCursor(cursor, batchRows).catch((error: unknown) => {
          throw this.fail(error, 'reading');
        });
        columns ??= read.result.fields.map(postgresColumn);
        const converters = columns.map((column) => column.convert);
        const rows = read.rows.map((row) =>
          row.map(
            (value, index): RowValue =>
              value === null ? null : (converters[index] as (raw: string) => RowValue)(value),
          ),
        );
        yield { columns: columns.map((column) => column.column), rows };
        // A short read means the portal is exhausted.
        if (read.rows.length < batchRows) return;
      }
    } finally {
      await cursor.close().catch(() => undefined);
    }
  }

  async query(sql: string, params: readonly BindValue[] = []): Promise<QueryResult> {
    try {
      const result = await this.client.query<RawRow>({ text: sql, values: [...params], rowMode: 'array' });
      return { rows: result.rows, affectedRows: result.rowCount ?? 0 };
    } catch (error) {
      throw this.fail(error, 'running a statement');
    }
  }

  async transaction<T>(work: () => Promise<T>): Promise<T> {
    await this.query('BEGIN');
    try {
      const result = await work();
      await this.query('COMMIT');
      return result;
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}

export async function openPostgresSession(connection: ResolvedConnection<'postgres'>): Promise<SqlSession> {
  const { settings, secret } = connection;
  const client = new pg.Client({
    host: settings.host,
    port: settings.port,
    database: settings.database,
    user: settings.user,
    ...(secret !== undefined ? { password: secret } : {}),
    ssl: settings.ssl ? { rejectUnauthorized: true } : false,
    connectionTimeoutMillis: settings.connect_timeout_seconds * 1000,
    options: SESSION_OPTIONS,
    application_name: 'etl',
    types: RAW_TEXT_TYPES,
  });
  // A dropped connection emits 'error' on the client; the pending call rejects with it too.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw classifyPostgresError(
      error,
      `connecting to postgres connection ${connection.name} (${settings.host}:${settings.port}/${settings.database})`,
      secret,
    );
  }
  return new PostgresSession(client, connection);
}
