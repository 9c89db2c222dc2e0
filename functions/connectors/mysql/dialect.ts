/** MySQL's (and MariaDB's) SQL for the shared extract and load logic. */
import { createHash } from 'node:crypto';
import { resolveConnection } from '../../../shared/connections/resolve.ts';
import { INTEGER_TYPES } from '../../../shared/duckdb/types.ts';
import { TransientError } from '../../../shared/errors.ts';
import type { LoadDialect, SqlSession, TableColumn } from '../sql-common/session.ts';
import { CHUNK_COLUMN, ROW_COLUMN } from '../sql-common/staging-table.ts';
import { uniqueKeyMatches } from '../sql-common/unique-key.ts';
import { openMysqlSession } from './client.ts';

const LOCK_TIMEOUT_SECONDS = 60;

/** DuckDB type -> column type when the loader creates a table (a key can't be TEXT or BLOB). */
const DDL_TYPES: Readonly<Record<string, string>> = {
  BOOLEAN: 'BOOLEAN',
  TINYINT: 'TINYINT',
  SMALLINT: 'SMALLINT',
  INTEGER: 'INT',
  BIGINT: 'BIGINT',
  HUGEINT: 'DECIMAL(39,0)',
  UTINYINT: 'TINYINT UNSIGNED',
  USMALLINT: 'SMALLINT UNSIGNED',
  UINTEGER: 'INT UNSIGNED',
  UBIGINT: 'BIGINT UNSIGNED',
  UHUGEINT: 'DECIMAL(39,0)',
  FLOAT: 'FLOAT',
  DOUBLE: 'DOUBLE',
  DATE: 'DATE',
  TIME: 'TIME(6)',
  TIMESTAMP: 'DATETIME(6)',
  TIMESTAMP_S: 'DATETIME',
  TIMESTAMP_MS: 'DATETIME(3)',
  TIMESTAMP_NS: 'DATETIME(6)',
  // DATETIME holds UTC: TIMESTAMP would stop at 2038.
  'TIMESTAMP WITH TIME ZONE': 'DATETIME(6)',
  INTERVAL: 'TIME(6)',
  UUID: 'CHAR(36)',
  JSON: 'JSON',
};

function isNestedType(duckType: string): boolean {
  return /\]$|^(STRUCT|MAP|UNION)\(/.test(duckType);
}

function quoteIdent(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}

function qualified(schema: string, table: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(table)}`;
}

async function textRows(session: SqlSession, sql: string, params: readonly string[]): Promise<string[][]> {
  const { rows } = await session.query(sql, params);
  return rows.map((row) => row.map((value) => (value === null ? '' : String(value))));
}

/** `H:MM:SS.ffffff` (hours may pass 24, sign first), the form a TIME column takes. */
function intervalAsTime(ref: string): string {
  const micros = `CAST(round(epoch(${ref}) * 1000000) AS BIGINT)`;
  return `CASE WHEN ${ref} IS NULL THEN NULL ELSE printf('%s%d:%02d:%02d.%06d', CASE WHEN ${micros} < 0 THEN '-' ELSE '' END, abs(${micros}) // 3600000000, abs(${micros}) // 60000000 % 60, abs(${micros}) // 1000000 % 60, abs(${micros}) % 1000000) END`;
}

/** MySQL lock names are at most 64 characters. */
function lockName(name: string): string {
  return `etl:${createHash('sha256').update(name).digest('hex').slice(0, 40)}`;
}

export const mysqlDialect: LoadDialect = {
  name: 'mysql',
  // DDL commits implicitly in MySQL.
  transactionalDdl: false,

  async open(connection) {
    return openMysqlSession(await resolveConnection(connection, 'mysql'));
  },

  quoteIdent,

  placeholder: () => '?',

  comparable(placeholder, duckType) {
    // MySQL compares an integer or decimal column with a string as doubles, which rounds past 2^53.
    if (INTEGER_TYPES.has(duckType)) return `CAST(${placeholder} AS DECIMAL(65,0))`;
    if (duckType.startsWith('DECIMAL')) return `CAST(${placeholder} AS DECIMAL(65,30))`;
    return placeholder;
  },

  bindExpression(ref, duckType) {
    if (duckType === 'BLOB') return ref;
    if (duckType === 'BOOLEAN') return `CAST(CAST(${ref} AS TINYINT) AS VARCHAR)`;
    if (duckType === 'TIMESTAMP WITH TIME ZONE')
      return `strftime(timezone('UTC', ${ref}), '%Y-%m-%d %H:%M:%S.%f')`;
    if (duckType.startsWith('TIMESTAMP'))
      return `strftime(CAST(${ref} AS TIMESTAMP), '%Y-%m-%d %H:%M:%S.%f')`;
    if (duckType === 'INTERVAL') return intervalAsTime(ref);
    if (isNestedType(duckType)) return `CAST(to_json(${ref}) AS VARCHAR)`;
    return `CAST(${ref} AS VARCHAR)`;
  },

  columnType(duckType, isKey) {
    const decimal = /^DECIMAL\((\d+),(\d+)\)$/.exec(duckType);
    if (decimal) return `DECIMAL(${decimal[1]},${decimal[2]})`;
    if (duckType === 'BLOB') return isKey ? 'VARBINARY(255)' : 'LONGBLOB';
    if (isNestedType(duckType)) return 'JSON';
    return DDL_TYPES[duckType] ?? (isKey ? 'VARCHAR(255)' : 'LONGTEXT');
  },

  async describeTable(session, schema, table) {
    const rows = await textRows(
      session,
      'SELECT COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
      [schema, table],
    );
    return rows.length === 0
      ? undefined
      : rows.map(([name = '', type = '']): TableColumn => ({ name, type }));
  },

  async hasUniqueKey(session, schema, table, columns) {
    const rows = await textRows(
      session,
      'SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND NON_UNIQUE = 0',
      [schema, table],
    );
    return uniqueKeyMatches(rows, columns);
  },

  async listTables(session, schema, prefix) {
    const rows = await textRows(
      session,
      'SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?',
      [schema],
    );
    return rows.map(([name = '']) => name).filter((name) => name.startsWith(prefix));
  },

  createTable(schema, table, columns, options) {
    const definitions = columns.map((column) => `${quoteIdent(column.name)} ${column.type}`);
    if (options.primaryKey?.length) {
      definitions.push(`PRIMARY KEY (${options.primaryKey.map(quoteIdent).join(', ')})`);
    }
    if (options.index !== undefined) definitions.push(`INDEX (${quoteIdent(options.index)})`);
    return [
      `CREATE TABLE IF NOT EXISTS ${qualified(schema, table)} (${definitions.join(', ')}) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
    ];
  },

  upsertStatement(target, staging, columns, keys) {
    const list = columns.map(quoteIdent).join(', ');
    const updates = columns
      .filter((column) => !keys.includes(column))
      .map((column) => `${quoteIdent(column)} = VALUES(${quoteIdent(column)})`);
    // Rows apply in staging order, so the last staged row per key wins.
    const assignments =
      updates.length > 0 ? updates : keys.map((key) => `${quoteIdent(key)} = ${quoteIdent(key)}`);
    return (
      `INSERT INTO ${target} (${list}) SELECT ${list} FROM ${staging}` +
      ` ORDER BY ${quoteIdent(CHUNK_COLUMN)}, ${quoteIdent(ROW_COLUMN)}` +
      ` ON DUPLICATE KEY UPDATE ${assignments.join(', ')}`
    );
  },

  async withLock(session, name, work) {
    const lock = lockName(name);
    const { rows } = await session.query('SELECT GET_LOCK(?, ?)', [lock, LOCK_TIMEOUT_SECONDS]);
    if (String(rows[0]?.[0]) !== '1') {
      throw new TransientError(`timed out after ${LOCK_TIMEOUT_SECONDS} s waiting for lock ${name}`);
    }
    try {
      return await work();
    } finally {
      // If releasing fails the connection is broken, and closing it releases the lock anyway.
      await session.query('SELECT RELEASE_LOCK(?)', [lock]).catch(() => undefined);
    }
  },
};
