/**
 * A session on MySQL or MariaDB through mysql2: reads stream row by row with
 * backpressure (the server sends as the client consumes), statements with
 * values are server-side prepared, and the session runs in UTC with strict
 * SQL mode, so bad values fail instead of being silently truncated.
 */
import mysql, { type Connection } from 'mysql2';
import type { ResolvedConnection } from '../../../shared/connections/resolve.ts';
import type { EtlError } from '../../../shared/errors.ts';
import type { BindValue, QueryResult, RowBatch, RowValue, SqlSession } from '../sql-common/session.ts';
import { classifyMysqlError } from './errors.ts';
import { type MysqlColumn, type MysqlField, mysqlColumn } from './types.ts';

const SESSION_SETUP = [
  "SET time_zone = '+00:00'",
  "SET SESSION sql_mode = CONCAT_WS(',', @@SESSION.sql_mode, 'STRICT_ALL_TABLES')",
  // Chunks stage into one table in parallel; REPEATABLE READ's gap locks would deadlock them.
  'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED',
];

function rowsOf(result: unknown): unknown[][] {
  return Array.isArray(result) ? (result as unknown[][]) : [];
}

function affectedRowsOf(result: unknown): number {
  const affected = (result as { affectedRows?: unknown }).affectedRows;
  return typeof affected === 'number' ? affected : 0;
}

/** Small results need no column metadata: text, or bytes for binary values. */
function plainValue(value: unknown): RowValue {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return value;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

class MysqlSession implements SqlSession {
  /** Set when a stream was abandoned mid-result: `end()` would wait for it, so close destroys. */
  private abandoned = false;

  constructor(
    private readonly connection: Connection,
    private readonly resolved: ResolvedConnection<'mysql'>,
  ) {}

  get defaultSchema(): string {
    return this.resolved.settings.database;
  }

  private fail(error: unknown, what: string): EtlError {
    return classifyMysqlError(
      error,
      `${what} (mysql connection ${this.resolved.name})`,
      this.resolved.secret,
    );
  }

  async *stream(sql: string, params: readonly BindValue[], batchRows: number): AsyncGenerator<RowBatch> {
    let fields: MysqlField[] | undefined;
    const options = { sql, rowsAsArray: true };
    const command =
      params.length > 0 ? this.connection.execute(options, [...params]) : this.connection.query(options);
    command.on('fields', (received: unknown) => {
      fields = received as MysqlField[];
    });
    const rows = command.stream({ highWaterMark: batchRows });
    let finished = false;
    let columns: MysqlColumn[] | undefined;
    const describe = () => {
      columns ??= (fields ?? []).map(mysqlColumn);
      return columns;
    };
    try {
      let batch: RowValue[][] = [];
      let yielded = false;
      for await (const row of rows) {
        const described = describe();
        batch.push(
          (row as unknown[]).map((value, index) =>
            value === null ? null : (described[index] as MysqlColumn).convert(value),
          ),
        );
        if (batch.length >= batchRows) {
          yield { columns: described.map((column) => column.column), rows: batch };
          yielded = true;
          batch = [];
        }
      }
      finished = true;
      if (batch.length > 0 || !yielded)
        yield { columns: describe().map((column) => column.column), rows: batch };
    } catch (error) {
      finished = true;
      throw this.fail(error, 'reading');
    } finally {
      if (!finished) {
        this.abandoned = true;
        rows.destroy();
      }
    }
  }

  query(sql: string, params: readonly BindValue[] = []): Promise<QueryResult> {
    return new Promise((resolve, reject) => {
      const done = (error: unknown, result: unknown) => {
        if (error) {
          reject(this.fail(error, 'running a statement'));
          return;
        }
        resolve({
          rows: rowsOf(result).map((row) => row.map(plainValue)),
          affectedRows: affectedRowsOf(result),
        });
      };
      const options = { sql, rowsAsArray: true };
      if (params.length > 0) this.connection.execute(options, [...params], done);
      else this.connection.query(options, done);
    });
  }

  async transaction<T>(work: () => Promise<T>): Promise<T> {
    await this.query('START TRANSACTION');
    try {
      const result = await work();
      await this.query('COMMIT');
      return result;
    } catch (error) {
      await this.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  close(): Promise<void> {
    if (this.abandoned) {
      this.connection.destroy();
      return Promise.resolve();
    }
    return new Promise((resolve) => this.connection.end(() => resolve()));
  }
}

export async function openMysqlSession(resolved: ResolvedConnection<'mysql'>): Promise<SqlSession> {
  const { settings, secret } = resolved;
  const connection = mysql.createConnection({
    host: settings.host,
    port: settings.port,
    user: settings.user,
    database: settings.database,
    ...(secret !== undefined ? { password: secret } : {}),
    ...(settings.ssl ? { ssl: { rejectUnauthorized: true } } : {}),
    connectTimeout: settings.connect_timeout_seconds * 1000,
    charset: 'UTF8MB4_UNICODE_CI',
    // Exact text for decimals, big integers, dates and JSON: never a rounded JS number.
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    jsonStrings: true,
    timezone: 'Z',
  });
  // A dropped connection emits 'error'; the pending call rejects with it too.
  connection.on('error', () => undefined);
  const session = new MysqlSession(connection, resolved);
  try {
    await new Promise<void>((resolve, reject) =>
      connection.connect((error) => (error ? reject(error) : resolve())),
    );
  } catch (error) {
    connection.destroy();
    throw classifyMysqlError(
      error,
      `connecting to mysql connection ${resolved.name} (${settings.host}:${settings.port}/${settings.database})`,
      secret,
    );
  }
  try {
    for (const statement of SESSION_SETUP) await session.query(statement);
  } catch (error) {
    connection.destroy();
    throw error;
  }
  return session;
}
