/**
 * The `postgres` and `mysql` extractors against the real servers: a
 * parameterized incremental read of 100,000 rows in parallel key ranges, a
 * second run that reads only the new rows, a failed run that leaves the
 * watermark where it was, and types kept exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipelineLocally } from '../../shared/runtime/run-local.ts';
import { type Pipeline, PipelineSchema } from '../../shared/spec/schema.ts';
import { type WatermarkStore, watermarkStoreFromEnv } from '../../shared/store/watermark-store.ts';
import { pipelineIdOf } from '../../statemachines/pipeline-id.ts';
import { queryDataset, startTestEnvironment, type TestEnvironment } from './harness.ts';
import {
  addConnection,
  MARIADB,
  type MariaDbFixture,
  mariaDbFixture,
  POSTGRES,
  type PostgresFixture,
  postgresFixture,
  setUpOrClose,
  uniqueName,
} from './sql-connectors-fixtures.ts';

const FIRST_ROWS = 125_000;
/** Rows of region `eu` among the first ones: every id not divisible by 5. */
const EU_ROWS = 100_000;

interface Backend {
  readonly module: 'postgres' | 'mysql';
  readonly connection: string;
  /** The orders table as the extractor config names it. */
  readonly source: { readonly schema?: string; readonly table: string };
  /** Inserts orders with ids from..to; `updated_at` grows with the id. */
  insertOrders(from: number, to: number): Promise<void>;
  /** Runs SQL with `{s}.` standing for the fixture's schema qualifier. */
  sql<T extends unknown[]>(statement: string): Promise<T[]>;
  close(): Promise<void>;
}

async function postgresBackend(): Promise<Backend> {
  const db: PostgresFixture = await postgresFixture();
  return setUpOrClose(db, async () => {
    const connection = uniqueName('pg');
    await addConnection(connection, 'postgres', { ...POSTGRES });
    await db.query(
      `CREATE TABLE ${db.schema}.orders (id bigint PRIMARY KEY, region text NOT NULL, amount numeric(12,2) NOT NULL,
         updated_at timestamptz NOT NULL, attrs jsonb, note text)`,
    );
    return {
      module: 'postgres',
      connection,
      source: { schema: db.schema, table: 'orders' },
      async insertOrders(from, to) {
        await db.query(
          `INSERT INTO ${db.schema}.orders
           SELECT g, CASE WHEN g % 5 = 0 THEN 'us' ELSE 'eu' END, round((g % 100000) * 1.01 + 0.01, 2),
                  timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second',
                  CASE WHEN g % 7 = 0 THEN NULL ELSE jsonb_build_object('n', g, 'tags', jsonb_build_array('a', g % 3)) END,
                  CASE WHEN g % 11 = 0 THEN NULL ELSE 'order ' || g END
             FROM generate_series($1::bigint, $2::bigint) AS g`,
          [from, to],
        );
      },
      sql: (statement) => db.query(statement.replaceAll('{s}.', `${db.schema}.`)),
      close: () => db.close(),
    };
  });
}

async function mariaDbBackend(): Promise<Backend> {
  const db: MariaDbFixture = await mariaDbFixture();
  return setUpOrClose(db, async () => {
    const connection = uniqueName('maria');
    await addConnection(connection, 'mysql', { ...MARIADB, database: db.database });
    await db.query(
      `CREATE TABLE orders (id BIGINT PRIMARY KEY, region VARCHAR(8) NOT NULL, amount DECIMAL(12,2) NOT NULL,
         updated_at DATETIME(6) NOT NULL, attrs JSON, note TEXT)`,
    );
    return {
      module: 'mysql',
      connection,
      source: { table: 'orders' },
      async insertOrders(from, to) {
        await db.query(
          `INSERT INTO orders
           SELECT seq, IF(seq % 5 = 0, 'us', 'eu'), ROUND((seq % 100000) * 1.01 + 0.01, 2),
                  TIMESTAMP'2024-01-01 00:00:00' + INTERVAL seq SECOND,
                  IF(seq % 7 = 0, NULL, JSON_OBJECT('n', seq, 'tags', JSON_ARRAY('a', seq % 3))),
                  IF(seq % 11 = 0, NULL, CONCAT('order ', seq))
             FROM seq_${from}_to_${to}`,
        );
      },
      sql: (statement) => db.query(statement.replaceAll('{s}.', '')),
      close: () => db.close(),
    };
  });
}

function ordersPipeline(backend: Backend, name: string, prefix: string, failing = false): Pipeline {
  const transform = failing
    ? [
        {
          id: 'broken',
          type: 'transformer',
          module: 'derive',
          config: { columns: [{ name: 'oops', expression: "CAST(region || 'x' AS INTEGER)" }] },
        },
      ]
    : [];
  return PipelineSchema.parse({
    name,
    parameters: { region: { type: 'string', default: 'us' } },
    nodes: [
      {
        id: 'orders',
        type: 'extractor',
        module: backend.module,
        config: {
          connection: backend.connection,
          query: `SELECT id, region, amount, updated_at, attrs, note FROM ${backend.source.schema ? `${backend.source.schema}.` : ''}${backend.source.table} WHERE region = $region -- only one region`,
          mode: 'incremental',
          cursor_column: 'updated_at',
          partition_column: 'id',
          fetch_rows: 5_000,
        },
      },
      ...transform,
      { id: 'lake', type: 'loader', module: 's3-parquet', config: { bucket: 'lake', prefix } },
    ],
    edges: failing
      ? [
          { source: 'orders', target: 'broken' },
          { source: 'broken', target: 'lake' },
        ]
      : [{ source: 'orders', target: 'lake' }],
    execution: { chunk_size_bytes: 1024 * 1024, max_concurrency: 4, retries: { max_attempts: 0 } },
  });
}

describe.each([
  ['PostgreSQL', postgresBackend],
  ['MariaDB', mariaDbBackend],
])('%s extractor', (_label, makeBackend) => {
  let env: TestEnvironment;
  let backend: Backend;
  let pipelineName: string;

  beforeAll(async () => {
    env = await startTestEnvironment();
    backend = await makeBackend();
    await backend.insertOrders(1, FIRST_ROWS);
    pipelineName = uniqueName('orders');
  });
  afterAll(async () => {
    await backend?.close();
    await env?.close();
  });

  it('reads 100,000 rows of a parameterized incremental query in parallel key ranges, values and types exact', async () => {
    const pipeline = ordersPipeline(backend, pipelineName, 'run1/');

    const result = await runPipelineLocally(pipeline, env.services, { parameters: { region: 'eu' } });

    expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
    const orders = result.nodes.find((node) => node.nodeId === 'orders');
    expect(orders?.rowsOut).toBe(EU_ROWS);
    expect(orders?.chunks).toBeGreaterThan(1);
    const [summary] = await queryDataset(
      env,
      'lake',
      'run1/',
      `SELECT count(*)::INTEGER AS n, count(DISTINCT id)::INTEGER AS ids, CAST(sum(amount) AS VARCHAR) AS total,
              min(updated_at)::VARCHAR AS first, max(updated_at)::VARCHAR AS last,
              count(attrs)::INTEGER AS with_attrs, count(note)::INTEGER AS with_note, bool_and(region = 'eu') AS only_eu,
              max(attrs->>'$.n')::VARCHAR AS sample FROM dataset`,
    );
    const zone = backend.module === 'postgres' ? '+00' : '';
    const [expected = []] = await backend.sql<unknown[]>(
      `SELECT SUM(amount), COUNT(attrs), COUNT(note) FROM {s}.orders WHERE region = 'eu'`,
    );
    expect(summary).toMatchObject({
      n: EU_ROWS,
      ids: EU_ROWS,
      total: String(expected[0]),
      with_attrs: Number(expected[1]),
      with_note: Number(expected[2]),
      only_eu: true,
      // DATETIME has no zone; PostgreSQL's timestamptz keeps it.
      first: `2024-01-01 00:00:01${zone}`,
      last: `2024-01-02 10:43:19${zone}`,
    });
    const types = await queryDataset(
      env,
      'lake',
      'run1/',
      'SELECT column_name, column_type FROM (DESCRIBE dataset)',
    );
    expect(Object.fromEntries(types.map((row) => [row.column_name, row.column_type]))).toMatchObject({
      id: 'BIGINT',
      amount: 'DECIMAL(12,2)',
      updated_at: backend.module === 'postgres' ? 'TIMESTAMP WITH TIME ZONE' : 'TIMESTAMP',
      attrs: 'JSON',
      note: 'VARCHAR',
    });
    const watermark = await watermarkStoreFromEnv().get(pipelineIdOf(pipeline), 'orders');
    expect(watermark?.value).toMatch(/^2024-01-02 10:43:19/);
  });

  it('reads only the rows added since on the next run, and nothing when nothing changed', async () => {
    await backend.insertOrders(FIRST_ROWS + 1, FIRST_ROWS + 1_250);

    const second = await runPipelineLocally(ordersPipeline(backend, pipelineName, 'run2/'), env.services, {
      parameters: { region: 'eu' },
    });
    const third = await runPipelineLocally(ordersPipeline(backend, pipelineName, 'run3/'), env.services, {
      parameters: { region: 'eu' },
    });

    expect(second.run.status).toBe('success');
    expect(second.nodes.find((node) => node.nodeId === 'orders')?.rowsOut).toBe(1_000);
    const [added] = await queryDataset(
      env,
      'lake',
      'run2/',
      'SELECT count(*)::INTEGER AS n, min(id)::INTEGER AS first FROM dataset',
    );
    expect(added).toMatchObject({ n: 1_000, first: FIRST_ROWS + 1 });
    expect(third.run.status).toBe('success');
    expect(third.nodes.find((node) => node.nodeId === 'orders')?.rowsOut).toBe(0);
  });

  it('leaves the watermark where it was when a run fails, so the next run reads those rows', async () => {
    const store: WatermarkStore = watermarkStoreFromEnv();
    const pipelineId = pipelineIdOf(ordersPipeline(backend, pipelineName, 'run4/'));
    const before = await store.get(pipelineId, 'orders');
    await backend.insertOrders(FIRST_ROWS + 1_251, FIRST_ROWS + 1_500);

    const failed = await runPipelineLocally(
      ordersPipeline(backend, pipelineName, 'run4/', true),
      env.services,
      {
        parameters: { region: 'eu' },
      },
    );
    const after = await store.get(pipelineId, 'orders');
    const retried = await runPipelineLocally(ordersPipeline(backend, pipelineName, 'run5/'), env.services, {
      parameters: { region: 'eu' },
    });

    expect(failed.run.status).toBe('failed');
    expect(before?.value).toMatch(/^2024-01-02 11:04:09/);
    expect(after).toStrictEqual(before);
    expect(retried.nodes.find((node) => node.nodeId === 'orders')?.rowsOut).toBe(200);
  });

  it("binds a parameter value shaped like SQL (x'; DROP TABLE t; --) as data", async () => {
    const injection = "x'; DROP TABLE t; --";
    await backend.sql(`CREATE TABLE {s}.t (id INT PRIMARY KEY, label VARCHAR(64))`);
    await backend.sql(`INSERT INTO {s}.t VALUES (1, 'plain'), (2, 'x''; DROP TABLE t; --'), (3, 'x')`);
    const source = backend.source.schema ? `${backend.source.schema}.t` : 't';
    const pipeline = PipelineSchema.parse({
      name: uniqueName('injection'),
      parameters: { label: { type: 'string' } },
      nodes: [
        {
          id: 'src',
          type: 'extractor',
          module: backend.module,
          config: {
            connection: backend.connection,
            query: `SELECT id, label FROM ${source} WHERE label = $label`,
          },
        },
        { id: 'out', type: 'loader', module: 's3-parquet', config: { bucket: 'lake', prefix: 'injection/' } },
      ],
      edges: [{ source: 'src', target: 'out' }],
    });

    const result = await runPipelineLocally(pipeline, env.services, { parameters: { label: injection } });

    expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
    expect(await queryDataset(env, 'lake', 'injection/', 'SELECT id, label FROM dataset')).toStrictEqual([
      { id: 2, label: injection },
    ]);
    expect((await backend.sql('SELECT COUNT(*) FROM {s}.t')).map(([count]) => Number(count))).toStrictEqual([
      3,
    ]);
  });
});
