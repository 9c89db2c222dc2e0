/** The PostgreSQL session against the server on this machine: types kept exactly, errors typed. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresSession } from '../../../../../functions/connectors/postgres/client.ts';
import { writeBatchesToParquet } from '../../../../../functions/connectors/sql-common/duckdb-rows.ts';
import type { SqlSession } from '../../../../../functions/connectors/sql-common/session.ts';
import { CONNECTION_SETTINGS } from '../../../../../shared/connections/connection.ts';
import { queryRows, withDuckDb } from '../../../../../shared/duckdb/engine.ts';
import { ConfigError, TransientError } from '../../../../../shared/errors.ts';

const settings = CONNECTION_SETTINGS.postgres.parse({
  host: '127.0.0.1',
  database: 'test',
  user: 'postgres',
});
const connection = { name: 'local', type: 'postgres' as const, settings, secret: undefined };

let scratch: string;
let session: SqlSession;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'etl-pg-'));
  session = await openPostgresSession(connection);
});
afterAll(async () => {
  await session?.close();
  await rm(scratch, { recursive: true, force: true });
});

/** Streams `sql` into a Parquet file and reads it back with DuckDB: types, and values as text. */
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

describe('PostgreSQL session', () => {
  it('keeps numeric, timestamptz, json, bytea, arrays, intervals and NULLs exactly', async () => {
    await session.query(`CREATE TEMP TABLE kinds (dec numeric(30,10), big numeric, ts timestamptz, doc jsonb,
      bin bytea, ints int[], texts text[], span interval, id bigint, f float8, d date, t text)`);
    await session.query(
      `INSERT INTO kinds VALUES (12345678901234567890.0123456789, 1.000000000000000000000000000000000000000000001,
         '2024-03-10 01:30:00.123456-08', '{"a": [1, {"b": null}]}', '\\x00ff10', '{1,NULL,3}', '{"x,y","z\\""}',
         '-1 day 02:03:04.5', 9007199254740993, 'NaN', '2024-02-29', $1), (NULL, NULL, NULL, NULL, NULL, NULL,
         NULL, NULL, NULL, NULL, NULL, NULL)`,
      ["ünï'cödé"],
    );

    const result = await throughParquet('SELECT * FROM kinds');

    expect(result.rows).toBe(2);
    expect(result.types).toStrictEqual({
      dec: 'DECIMAL(30,10)',
      big: 'VARCHAR',
      ts: 'TIMESTAMP WITH TIME ZONE',
      doc: 'JSON',
      bin: 'BLOB',
      ints: 'INTEGER[]',
      texts: 'VARCHAR[]',
      span: 'VARCHAR',
      id: 'BIGINT',
      f: 'DOUBLE',
      d: 'DATE',
      t: 'VARCHAR',
    });
    expect(result.values[0]).toStrictEqual({
      dec: '12345678901234567890.0123456789',
      big: '1.000000000000000000000000000000000000000000001',
      ts: expect.stringMatching(/^2024-03-10 \d\d:30:00\.123456[+-]\d\d/),
      doc: '{"a": [1, {"b": null}]}',
      bin: '\\x00\\xFF\\x10',
      ints: '[1, NULL, 3]',
      texts: "['x,y', 'z\"']",
      span: '-1 days +02:03:04.5',
      id: '9007199254740993',
      f: 'nan',
      d: '2024-02-29',
      t: "ünï'cödé",
    });
    expect(Object.values(result.values[1] ?? {})).toStrictEqual(Array(12).fill(null));
  });

  it('keeps the instant of a timestamptz whatever the zone it was written in', async () => {
    const result = await throughParquet("SELECT timestamptz '2024-03-10 01:30:00.123456-08' AS ts");

    const [row] = await withDuckDb({ workDir: scratch }, (duck) =>
      queryRows(duck, `SELECT epoch_us(TIMESTAMPTZ '${result.values[0]?.ts}') AS us`),
    );
    expect(String(row?.us)).toBe(String(Date.UTC(2024, 2, 10, 9, 30, 0, 123) * 1000 + 456));
  });

  it('describes the columns of an empty result', async () => {
    const result = await throughParquet('SELECT 1::int AS a, now() AS b WHERE false');

    expect(result.rows).toBe(0);
    expect(result.types).toStrictEqual({ a: 'INTEGER', b: 'TIMESTAMP WITH TIME ZONE' });
  });

  it('fails with a TransientError when the server refuses the connection', async () => {
    const closed = { ...connection, settings: { ...settings, port: 1, connect_timeout_seconds: 2 } };

    await expect(openPostgresSession(closed)).rejects.toBeInstanceOf(TransientError);
  });

  it('fails with a ConfigError naming the connection when the database does not exist', async () => {
    const missing = { ...connection, settings: { ...settings, database: 'no_such_database_etl' } };

    const error = await openPostgresSession(missing).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(
      /^connecting to postgres connection local .*no_such_database_etl.*3D000/,
    );
  });

  it('reports a deadlock as a TransientError, which the state machine retries', async () => {
    const other = await openPostgresSession(connection);
    try {
      const table = `etl_deadlock_${process.pid}_${Date.now()}`;
      await session.query(`CREATE TABLE public.${table} (id int PRIMARY KEY)`);
      await session.query(`INSERT INTO public.${table} VALUES (1), (2)`);
      try {
        const outcomes = await Promise.allSettled([
          session.transaction(async () => {
            await session.query(`UPDATE public.${table} SET id = id WHERE id = 1`);
            await new Promise((resolve) => setTimeout(resolve, 200));
            await session.query(`UPDATE public.${table} SET id = id WHERE id = 2`);
          }),
          other.transaction(async () => {
            await other.query(`UPDATE public.${table} SET id = id WHERE id = 2`);
            await new Promise((resolve) => setTimeout(resolve, 200));
            await other.query(`UPDATE public.${table} SET id = id WHERE id = 1`);
          }),
        ]);

        const failures = outcomes.filter((outcome) => outcome.status === 'rejected');
        expect(failures).toHaveLength(1);
        expect((failures[0] as PromiseRejectedResult).reason).toBeInstanceOf(TransientError);
        expect(String((failures[0] as PromiseRejectedResult).reason)).toMatch(/deadlock detected.*40P01/);
      } finally {
        await session.query(`DROP TABLE public.${table}`);
      }
    } finally {
      await other.close();
    }
  });
});
