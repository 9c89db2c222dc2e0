/** The MySQL session against the MariaDB server on this machine: types kept exactly, errors typed. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMysqlSession } from '../../../../../functions/connectors/mysql/client.ts';
import { writeBatchesToParquet } from '../../../../../functions/connectors/sql-common/duckdb-rows.ts';
import type { SqlSession } from '../../../../../functions/connectors/sql-common/session.ts';
import { CONNECTION_SETTINGS } from '../../../../../shared/connections/connection.ts';
import { queryRows, withDuckDb } from '../../../../../shared/duckdb/engine.ts';
import { ConfigError, TransientError } from '../../../../../shared/errors.ts';

const settings = CONNECTION_SETTINGS.mysql.parse({ host: '127.0.0.1', database: 'test', user: 'root' });
const connection = { name: 'local', type: 'mysql' as const, settings, secret: undefined };

let scratch: string;
let session: SqlSession;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'etl-mysql-'));
  session = await openMysqlSession(connection);
});
afterAll(async () => {
  await session?.close();
  await rm(scratch, { recursive: true, force: true });
});

async function throughParquet(sql: string, batchRows = 2) {
  return withDuckDb({ workDir: scratch }, async (duck) => {
    const path = join(scratch, `${Math.random()}.parquet`);
    const written = await writeBatchesToParquet(duck, session.stream(sql, [], batchRows), path, 'test');
    const types = await queryRows(
      duck,
      `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '${path}')`,
    );
    const columns = types.map((row) => String(row.column_name));
    const values = await queryRows(
      duck,
      `SELECT ${columns.map((name) => `CAST("${name}" AS VARCHAR) AS "${name}"`).join(', ')} FROM '${path}'`,
    );
    return {
      rows: written.rows,
      types: Object.fromEntries(types.map((row) => [row.column_name, row.column_type])),
      values,
    };
  });
}

describe('MySQL session', () => {
  it('keeps decimals, big integers, timestamps, json, binary and NULLs exactly', async () => {
    await session.query(`CREATE TEMPORARY TABLE kinds (dec_v DECIMAL(30,10), wide DECIMAL(65,30), ts TIMESTAMP(6) NULL,
      dt DATETIME(3), doc JSON, bin VARBINARY(8), ubig BIGINT UNSIGNED, f FLOAT, span TIME, flags BIT(10), y YEAR,
      t TEXT, zero DATE)`);
    await session.query(
      `INSERT INTO kinds VALUES (12345678901234567890.0123456789, 1.000000000000000000000000000001,
        '2024-03-10 09:30:00.123456', '2024-02-29 23:59:59.999', '{"a": [1, {"b": null}]}', X'00FF10',
        18446744073709551615, 1.1, '-838:59:59', b'1000000001', 2024, ?, '2024-01-01'),
        (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`,
      ["ünï'cödé"],
    );

    const result = await throughParquet('SELECT * FROM kinds');

    expect(result.rows).toBe(2);
    expect(result.types).toStrictEqual({
      dec_v: 'DECIMAL(30,10)',
      wide: 'VARCHAR',
      ts: 'TIMESTAMP WITH TIME ZONE',
      dt: 'TIMESTAMP',
      doc: 'JSON',
      bin: 'BLOB',
      ubig: 'UBIGINT',
      f: 'FLOAT',
      span: 'VARCHAR',
      flags: 'UBIGINT',
      y: 'SMALLINT',
      t: 'VARCHAR',
      zero: 'DATE',
    });
    expect(result.values[0]).toMatchObject({
      dec_v: '12345678901234567890.0123456789',
      wide: '1.000000000000000000000000000001',
      dt: '2024-02-29 23:59:59.999',
      doc: '{"a": [1, {"b": null}]}',
      bin: '\\x00\\xFF\\x10',
      ubig: '18446744073709551615',
      f: '1.1',
      span: '-838:59:59',
      flags: '513',
      y: '2024',
      t: "ünï'cödé",
    });
    expect(result.values[0]?.ts).toMatch(/^2024-03-10 \d\d:30:00\.123456[+-]\d\d/);
    expect(Object.values(result.values[1] ?? {})).toStrictEqual(Array(13).fill(null));
  });

  it('reads TIMESTAMP values as the UTC instants they are', async () => {
    await session.query('CREATE TEMPORARY TABLE instants (ts TIMESTAMP(1) NULL)');
    await session.query('INSERT INTO instants VALUES (FROM_UNIXTIME(1710063000.5))');

    const result = await throughParquet('SELECT ts FROM instants');

    const [row] = await withDuckDb({ workDir: scratch }, (duck) =>
      queryRows(duck, `SELECT epoch_ms(TIMESTAMPTZ '${result.values[0]?.ts}') AS ms`),
    );
    expect(result.types.ts).toBe('TIMESTAMP WITH TIME ZONE');
    expect(String(row?.ms)).toBe('1710063000500');
  });

  it('binds values server-side: a quote in a value is data', async () => {
    const { rows } = await session.query('SELECT ? AS v, ? + 1 AS n', ["x'; DROP TABLE t; --", 41]);

    expect(rows).toStrictEqual([["x'; DROP TABLE t; --", '42']]);
  });

  it('fails with a TransientError when the server refuses the connection', async () => {
    const closed = { ...connection, settings: { ...settings, port: 1, connect_timeout_seconds: 2 } };

    await expect(openMysqlSession(closed)).rejects.toBeInstanceOf(TransientError);
  });

  it('fails with a ConfigError naming the connection when the database does not exist', async () => {
    const missing = { ...connection, settings: { ...settings, database: 'no_such_database_etl' } };

    const error = await openMysqlSession(missing).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^connecting to mysql connection local .*Unknown database/);
  });

  it('reports a deadlock as a TransientError, which the state machine retries', async () => {
    const other = await openMysqlSession(connection);
    const table = `etl_deadlock_${process.pid}_${Date.now()}`;
    await session.query(`CREATE TABLE ${table} (id INT PRIMARY KEY) ENGINE=InnoDB`);
    await session.query(`INSERT INTO ${table} VALUES (1), (2)`);
    try {
      const outcomes = await Promise.allSettled([
        session.transaction(async () => {
          await session.query(`UPDATE ${table} SET id = id WHERE id = 1`);
          await new Promise((resolve) => setTimeout(resolve, 200));
          await session.query(`UPDATE ${table} SET id = id WHERE id = 2`);
        }),
        other.transaction(async () => {
          await other.query(`UPDATE ${table} SET id = id WHERE id = 2`);
          await new Promise((resolve) => setTimeout(resolve, 200));
          await other.query(`UPDATE ${table} SET id = id WHERE id = 1`);
        }),
      ]);

      const failures = outcomes.filter((outcome) => outcome.status === 'rejected');
      expect(failures).toHaveLength(1);
      expect((failures[0] as PromiseRejectedResult).reason).toBeInstanceOf(TransientError);
      expect(String((failures[0] as PromiseRejectedResult).reason)).toMatch(
        /Deadlock.*ER_LOCK_DEADLOCK, 1213/,
      );
    } finally {
      await session.query(`DROP TABLE ${table}`);
      await other.close();
    }
  });
});
