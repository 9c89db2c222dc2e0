/** PostgreSQL's SQL for the shared extract and load logic. */
import { resolveConnection } from '../../../shared/connections/resolve.ts';
import { sqlIdent } from '../../../shared/duckdb/sql.ts';
import type { LoadDialect, SqlSession, TableColumn } from '../sql-common/session.ts';
import { CHUNK_COLUMN, ROW_COLUMN } from '../sql-common/staging-table.ts';
import { uniqueKeyMatches } from '../sql-common/unique-key.ts';
import { openPostgresSession } from './client.ts';

/** DuckDB type -> column type when the loader creates a table. */
const DDL_TYPES: Readonly<Record<string, string>> = {
  BOOLEAN: 'boolean',
  TINYINT: 'smallint',
  SMALLINT: 'smallint',
  INTEGER: 'integer',
  BIGINT: 'bigint',
  HUGEINT: 'numeric(39,0)',
  UTINYINT: 'smallint',
  USMALLINT: 'integer',
  UINTEGER: 'bigint',
  UBIGINT: 'numeric(20,0)',
  UHUGEINT: 'numeric(39,0)',
  FLOAT: 'real',
  DOUBLE: 'double precision',
  VARCHAR: 'text',
  BLOB: 'bytea',
  DATE: 'date',
  TIME: 'time',
  'TIME WITH TIME ZONE': 'timetz',
  TIMESTAMP: 'timestamp',
  TIMESTAMP_S: 'timestamp(0)',
  TIMESTAMP_MS: 'timestamp(3)',
  TIMESTAMP_NS: 'timestamp',
  'TIMESTAMP WITH TIME ZONE': 'timestamptz',
  INTERVAL: 'interval',
  UUID: 'uuid',
  JSON: 'jsonb',
};

/** Lists, structs and maps have no single PostgreSQL equivalent; they travel as JSON. */
export function isNestedType(duckType: string): boolean {
  return /\]$|^(STRUCT|MAP|UNION)\(/.test(duckType);
}

function quoteIdent(name: string): string {
  return sqlIdent(name);
}

function qualified(schema: string, table: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(table)}`;
}

async function textRows(session: SqlSession, sql: string, params: readonly string[]): Promise<string[][]> {
  const { rows } = await session.query(sql, params);
  return rows.map((row) => row.map((value) => (value === null ? '' : String(value))));
}

export const postgresDialect: LoadDialect = {
  name: 'postgres',
  transactionalDdl: true,

  async open(connection) {
    return openPostgresSession(await resolveConnection(connection, 'postgres'));
  },

  quoteIdent,

  placeholder: (position) => `$${position}`,

  // PostgreSQL infers a parameter's type from the column it is compared with.
  comparable: (placeholder) => placeholder,

  bindExpression(ref, duckType) {
    if (duckType === 'BLOB') return ref;
    if (isNestedType(duckType)) return `CAST(to_json(${ref}) AS VARCHAR)`;
    return `CAST(${ref} AS VARCHAR)`;
  },

  columnType(duckType) {
    const decimal = /^DECIMAL\((\d+),(\d+)\)$/.exec(duckType);
    if (decimal) return `numeric(${decimal[1]},${decimal[2]})`;
    if (isNestedType(duckType)) return 'jsonb';
    return DDL_TYPES[duckType] ?? 'text';
  },

  async describeTable(session, schema, table) {
    const rows = await textRows(
      session,
      `SELECT a.attname, format_type(a.atttypid, a.atttypmod)
         FROM pg_attribute a
         JOIN pg_class c ON c.oid = a.attrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum`,
      [schema, table],
    );
    return rows.length === 0
      ? undefined
      : rows.map(([name = '', type = '']): TableColumn => ({ name, type }));
  },

  async hasUniqueKey(session, schema, table, columns) {
    const rows = await textRows(
      session,
      `SELECT i.indexrelid::text, a.attname
         FROM pg_index i
         JOIN pg_class c ON c.oid = i.indrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (i.indkey)
        WHERE n.nspname = $1 AND c.relname = $2 AND i.indisunique AND i.indpred IS NULL`,
      [schema, table],
    );
    return uniqueKeyMatches(rows, columns);
  },

  async listTables(session, schema, prefix) {
    const rows = await textRows(
      session,
      `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')`,
      [schema],
    );
    return rows.map(([name = '']) => name).filter((name) => name.startsWith(prefix));
  },

  createTable(schema, table, columns, options) {
    const definitions = columns.map((column) => `${quoteIdent(column.name)} ${column.type}`);
    if (options.primaryKey?.length) {
      definitions.push(`PRIMARY KEY (${options.primaryKey.map(quoteIdent).join(', ')})`);
    }
    const statements = [`CREATE TABLE IF NOT EXISTS ${qualified(schema, table)} (${definitions.join(', ')})`];
    if (options.index !== undefined) {
      statements.push(
        `CREATE INDEX IF NOT EXISTS ${quoteIdent(`${table}_${options.index}`.slice(0, 63))} ON ${qualified(schema, table)} (${quoteIdent(options.index)})`,
      );
    }
    return statements;
  },

  upsertStatement(target, staging, columns, keys) {
    const list = columns.map(quoteIdent).join(', ');
    const keyList = keys.map(quoteIdent).join(', ');
    const updates = columns
      .filter((column) => !keys.includes(column))
      .map((column) => `${quoteIdent(column)} = EXCLUDED.${quoteIdent(column)}`);
    // DISTINCT ON keeps the last staged row per key: ON CONFLICT may not touch a row twice.
    return (
      `INSERT INTO ${target} (${list}) SELECT DISTINCT ON (${keyList}) ${list} FROM ${staging}` +
      ` ORDER BY ${keyList}, ${quoteIdent(CHUNK_COLUMN)} DESC, ${quoteIdent(ROW_COLUMN)} DESC` +
      ` ON CONFLICT (${keyList}) ${updates.length > 0 ? `DO UPDATE SET ${updates.join(', ')}` : 'DO NOTHING'}`
    );
  },

  async withLock(session, name, work) {
    await session.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [name]);
    try {
      return await work();
    } finally {
      // If unlocking fails the connection is broken, and closing it releases the lock anyway.
      await session
        .query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [name])
        .catch(() => undefined);
    }
  },
};
