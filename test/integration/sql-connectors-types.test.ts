/**
 * Every common column type survives a round trip through the platform: read
 * by the extractor into Parquet, written by the loader into a table it
 * creates, on the same server; the copy equals the original row for row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipelineLocally } from '../../shared/runtime/run-local.ts';
import { PipelineSchema } from '../../shared/spec/schema.ts';
import { startTestEnvironment, type TestEnvironment } from './harness.ts';
import {
  addConnection,
  MARIADB,
  mariaDbFixture,
  POSTGRES,
  postgresFixture,
  setUpOrClose,
  uniqueName,
} from './sql-connectors-fixtures.ts';

interface Backend {
  readonly extractor: 'postgres' | 'mysql';
  readonly loader: 'postgres-load' | 'mysql-load';
  readonly connection: string;
  readonly schema?: string;
  /** Columns compared between original and copy, each as an SQL condition over aliases `k` and `c`. */
  readonly same: readonly string[];
  sql(statement: string): Promise<unknown[][]>;
  close(): Promise<void>;
}

async function postgresBackend(): Promise<Backend> {
  const db = await postgresFixture();
  return setUpOrClose(db, async () => {
    const connection = uniqueName('pg');
    await addConnection(connection, 'postgres', { ...POSTGRES });
    const sql = (statement: string) => db.query(statement.replaceAll('{s}.', `${db.schema}.`));
    await sql(`CREATE TABLE {s}.kinds (id int PRIMARY KEY, dec numeric(30,10), big numeric, ts timestamptz,
      naive timestamp(3), d date, t time, doc jsonb, bin bytea, u uuid, f float8, r real, b boolean, span interval,
      label text, ints int[])`);
    await sql(`INSERT INTO {s}.kinds VALUES
      (1, 12345678901234567890.0123456789, 1.000000000000000000000000000000000000000000001,
       '2024-03-10 01:30:00.123456-08', '2024-02-29 23:59:59.999', '2024-02-29', '13:14:15.5', '{"a": [1, {"b": null}]}',
       '\\x00ff10', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'NaN', 1.1, true, '-1 day 02:03:04.5', 'ünï''cödé', '{1,NULL,3}'),
      (2, -0.0000000001, -5, 'infinity', '1970-01-01 00:00:00', '0001-01-01', '00:00:00', '[]', '\\x', NULL, 1e308,
       -0, false, '0', '', '{}'),
      (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`);
    const columns = [
      'dec',
      'big',
      'ts',
      'naive',
      'd',
      't',
      'doc',
      'bin',
      'u',
      'f',
      'r',
      'b',
      'span',
      'label',
    ];
    return {
      extractor: 'postgres',
      loader: 'postgres-load',
      connection,
      schema: db.schema,
      same: columns.map(
        (column) => `CAST(k.${column} AS text) IS NOT DISTINCT FROM CAST(c.${column} AS text)`,
      ),
      sql,
      close: () => db.close(),
    };
  });
}

async function mariaDbBackend(): Promise<Backend> {
  const db = await mariaDbFixture();
  return setUpOrClose(db, async () => {
    const connection = uniqueName('maria');
    await addConnection(connection, 'mysql', { ...MARIADB, database: db.database });
    const sql = (statement: string) => db.query(statement.replaceAll('{s}.', ''));
    await sql(`CREATE TABLE kinds (id INT PRIMARY KEY, dec_v DECIMAL(30,10), wide DECIMAL(65,30), ts TIMESTAMP(6) NULL,
      naive DATETIME(3), d DATE, t TIME(1), doc JSON, bin VARBINARY(8), ubig BIGINT UNSIGNED, f DOUBLE, r FLOAT,
      flag BOOLEAN, y YEAR, label TEXT)`);
    await sql(`INSERT INTO kinds VALUES
      (1, 12345678901234567890.0123456789, 1.000000000000000000000000000001, '2024-03-10 09:30:00.123456',
       '2024-02-29 23:59:59.999', '2024-02-29', '-838:59:59.0', '{"a": [1, {"b": null}]}', X'00FF10', 18446744073709551615,
       1e308, 1.1, TRUE, 2024, 'ünï''cödé'),
      (2, -0.0000000001, -5, '1970-01-01 00:00:01', '1000-01-01 00:00:00', '1000-01-01', '13:14:15.5', '[]', X'', 0,
       -0.5, -0, FALSE, 1901, ''),
      (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`);
    const columns = [
      'dec_v',
      'wide',
      'ts',
      'naive',
      'd',
      't',
      'doc',
      'bin',
      'ubig',
      'f',
      'r',
      'flag',
      'y',
      'label',
    ];
    return {
      extractor: 'mysql',
      loader: 'mysql-load',
      connection,
      // Typed comparison where the copy has the same type; the text where it does not (wide decimals, TIME).
      same: columns.map((column) =>
        ['wide', 't'].includes(column)
          ? `CAST(k.${column} AS CHAR) <=> CAST(c.${column} AS CHAR)`
          : `k.${column} <=> c.${column}`,
      ),
      sql,
      close: () => db.close(),
    };
  });
}

describe.each([
  ['PostgreSQL', postgresBackend],
  ['MariaDB', mariaDbBackend],
])('%s types', (_label, makeBackend) => {
  let env: TestEnvironment;
  let backend: Backend;

  beforeAll(async () => {
    env = await startTestEnvironment();
    backend = await makeBackend();
  });
  afterAll(async () => {
    await backend?.close();
    await env?.close();
  });

  it('survive extract and load into a new table unchanged', async () => {
    const schema = backend.schema ? { schema: backend.schema } : {};
    const pipeline = PipelineSchema.parse({
      name: uniqueName('types'),
      nodes: [
        {
          id: 'src',
          type: 'extractor',
          module: backend.extractor,
          config: { connection: backend.connection, table: 'kinds', ...schema },
        },
        {
          id: 'copy',
          type: 'loader',
          module: backend.loader,
          config: {
            connection: backend.connection,
            table: 'kinds_copy',
            mode: 'upsert',
            key_columns: ['id'],
            ...schema,
          },
        },
      ],
      edges: [{ source: 'src', target: 'copy' }],
    });

    const result = await runPipelineLocally(pipeline, env.services);

    expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
    const matching = await backend.sql(
      `SELECT k.id FROM {s}.kinds k JOIN {s}.kinds_copy c ON c.id = k.id WHERE ${backend.same.join(' AND ')} ORDER BY k.id`,
    );
    expect(matching.map(([id]) => Number(id))).toStrictEqual([1, 2, 3]);
  });
});
