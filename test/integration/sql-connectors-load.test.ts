/**
 * The `postgres-load` and `mysql-load` loaders against the real servers:
 * upsert, replace and append; a chunk's load invoked twice (a retry) and a
 * commit invoked twice leave exactly one copy; a run that fails before
 * Finalize, or whose publishing transaction fails, leaves the destination
 * exactly as it was.
 */
import { join } from 'node:path';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { uploadFile } from '../../shared/aws/s3-objects.ts';
import { formatS3Uri } from '../../shared/aws/s3-uri.ts';
import { stagingKey } from '../../shared/chunks/ref.ts';
import { withDuckDb } from '../../shared/duckdb/engine.ts';
import type { CommitEventSchema, LoadEventSchema } from '../../shared/lambda/events.ts';
import { loadFunctionHandler } from '../../shared/runtime/function-handlers.ts';
import { lambdaInvokeAdapter } from '../../shared/runtime/lambda-invoke-adapter.ts';
import { runPipelineLocally } from '../../shared/runtime/run-local.ts';
import { type Pipeline, PipelineSchema } from '../../shared/spec/schema.ts';
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
  /** Schema for configs (PostgreSQL) or none (the MariaDB connection's database). */
  readonly schema?: string;
  readonly types: { readonly decimal: string; readonly timestamp: string; readonly text: string };
  /** Runs SQL with `{s}.` standing for the fixture's schema qualifier. */
  sql(statement: string): Promise<unknown[][]>;
  /** The declared column types of a table. */
  columnTypes(table: string): Promise<Record<string, string>>;
  tables(): Promise<string[]>;
  close(): Promise<void>;
}

async function postgresBackend(): Promise<Backend> {
  const db = await postgresFixture();
  return setUpOrClose(db, async () => {
    const connection = uniqueName('pg');
    await addConnection(connection, 'postgres', { ...POSTGRES });
    const sql = (statement: string) => db.query(statement.replaceAll('{s}.', `${db.schema}.`));
    return {
      extractor: 'postgres',
      loader: 'postgres-load',
      connection,
      schema: db.schema,
      types: { decimal: 'numeric(10,2)', timestamp: 'timestamptz', text: 'text' },
      sql,
      async columnTypes(table) {
        const rows = await db.query<[string, string]>(
          `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2`,
          [db.schema, table],
        );
        return Object.fromEntries(rows);
      },
      async tables() {
        const rows = await db.query<[string]>(
          `SELECT table_name FROM information_schema.tables WHERE table_schema = $1`,
          [db.schema],
        );
        return rows.map(([name]) => name).sort();
      },
      close: () => db.close(),
    };
  });
}

async function mariaDbBackend(): Promise<Backend> {
  const db = await mariaDbFixture();
  return setUpOrClose(db, async () => {
    const connection = uniqueName('maria');
    await addConnection(connection, 'mysql', { ...MARIADB, database: db.database });
    return {
      extractor: 'mysql',
      loader: 'mysql-load',
      connection,
      types: { decimal: 'DECIMAL(10,2)', timestamp: 'DATETIME(6)', text: 'VARCHAR(2000)' },
      sql: (statement) => db.query(statement.replaceAll('{s}.', '')),
      async columnTypes(table) {
        const rows = await db.query<[string, string]>(
          'SELECT COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
          [db.database, table],
        );
        return Object.fromEntries(rows);
      },
      async tables() {
        const rows = await db.query<[string]>(
          'SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?',
          [db.database],
        );
        return rows.map(([name]) => name).sort();
      },
      close: () => db.close(),
    };
  });
}

/** `src`: ids 3..8, names `new <id>` padded to 1 KB (so each row is a chunk of its own), scores id * 10 + 0.25. */
async function createSource(backend: Backend): Promise<void> {
  const { decimal, timestamp, text } = backend.types;
  await backend.sql(
    `CREATE TABLE {s}.src (id BIGINT PRIMARY KEY, name ${text}, score ${decimal}, seen_at ${timestamp})`,
  );
  await backend.sql(
    `INSERT INTO {s}.src VALUES ${[3, 4, 5, 6, 7, 8].map((id) => `(${id}, 'new ${id} ${'x'.repeat(1000)}', ${id * 10}.25, '2024-06-0${id} 12:30:00.123456')`).join(', ')}`,
  );
}

/** A destination with ids 1..5, names `old <id>`, scores equal to the id. */
async function createDestination(backend: Backend, table: string, extra = ''): Promise<void> {
  const { decimal, timestamp, text } = backend.types;
  await backend.sql(
    `CREATE TABLE {s}.${table} (id BIGINT PRIMARY KEY, name ${text}, score ${decimal}, seen_at ${timestamp}${extra})`,
  );
  await backend.sql(
    `INSERT INTO {s}.${table} VALUES ${[1, 2, 3, 4, 5].map((id) => `(${id}, 'old ${id}', ${id}, '2024-01-0${id} 00:00:00')`).join(', ')}`,
  );
}

async function contents(backend: Backend, table: string): Promise<string[]> {
  const rows = await backend.sql(`SELECT id, SUBSTR(name, 1, 5), score FROM {s}.${table} ORDER BY id`);
  return rows.map((row) => row.map(String).join('|'));
}

function copyPipeline(
  backend: Backend,
  load: Record<string, unknown>,
  options: { failOnId?: number } = {},
): Pipeline {
  const derive =
    options.failOnId === undefined
      ? []
      : [
          {
            id: 'check',
            type: 'transformer',
            module: 'derive',
            config: {
              columns: [
                {
                  name: 'id',
                  expression: `CASE WHEN id = ${options.failOnId} THEN CAST('bad' AS BIGINT) ELSE id END`,
                },
              ],
            },
          },
        ];
  const loaderSource = derive.length > 0 ? 'check' : 'src';
  return PipelineSchema.parse({
    name: uniqueName('copy'),
    nodes: [
      {
        id: 'src',
        type: 'extractor',
        module: backend.extractor,
        config: {
          connection: backend.connection,
          table: 'src',
          ...(backend.schema ? { schema: backend.schema } : {}),
          partition_column: 'id',
        },
      },
      ...derive,
      {
        id: 'dest',
        type: 'loader',
        module: backend.loader,
        config: {
          connection: backend.connection,
          ...(backend.schema ? { schema: backend.schema } : {}),
          ...load,
        },
      },
    ],
    edges: [
      ...(derive.length > 0 ? [{ source: 'src', target: 'check' }] : []),
      { source: loaderSource, target: 'dest' },
    ],
    // Tiny chunks: one source row each, staged in parallel.
    execution: { chunk_size_bytes: 1024, max_concurrency: 3, retries: { max_attempts: 0 } },
  });
}

describe.each([
  ['PostgreSQL', postgresBackend],
  ['MariaDB', mariaDbBackend],
])('%s loader', (_label, makeBackend) => {
  let env: TestEnvironment;
  let backend: Backend;

  beforeAll(async () => {
    env = await startTestEnvironment();
    backend = await makeBackend();
    await createSource(backend);
  });
  afterAll(async () => {
    await backend?.close();
    await env?.close();
  });

  it('upserts on the key columns: matching rows updated, new rows inserted, the others untouched', async () => {
    await createDestination(backend, 'customers');
    // Left by a run that never committed, long past the redrive window: the commit drops it.
    await backend.sql('CREATE TABLE {s}._etl_stg_20000101_0123456789ab (id INT)');

    const result = await runPipelineLocally(
      copyPipeline(backend, { table: 'customers', mode: 'upsert', key_columns: ['id'] }),
      env.services,
    );

    expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
    expect(result.nodes.find((node) => node.nodeId === 'src')?.chunks).toBe(6);
    expect(await contents(backend, 'customers')).toStrictEqual([
      '1|old 1|1.00',
      '2|old 2|2.00',
      ...[3, 4, 5, 6, 7, 8].map((id) => `${id}|new ${id}|${id * 10}.25`),
    ]);
    const [seen] = await backend.sql(`SELECT CAST(seen_at AS CHAR(40)) FROM {s}.customers WHERE id = 8`);
    expect(String(seen?.[0])).toMatch(/^2024-06-08 12:30:00\.123456/);
    expect((await backend.tables()).filter((name) => name.startsWith('_etl_stg_'))).toStrictEqual([]);
  });

  it('creates a missing table with types from the data, and appends on the next run', async () => {
    const pipeline = copyPipeline(backend, { table: 'fresh', mode: 'append' });

    await runPipelineLocally(pipeline, env.services);
    const second = await runPipelineLocally(pipeline, env.services);

    expect(second.run.status, JSON.stringify(second.run.error)).toBe('success');
    expect(await contents(backend, 'fresh')).toHaveLength(12);
    const types = await backend.columnTypes('fresh');
    expect(types.score).toBe(backend.extractor === 'postgres' ? 'numeric' : 'decimal');
    expect(types.seen_at).toBe(backend.extractor === 'postgres' ? 'timestamp with time zone' : 'datetime');
  });

  it('replaces the whole content', async () => {
    await createDestination(backend, 'replaced');

    const result = await runPipelineLocally(
      copyPipeline(backend, { table: 'replaced', mode: 'replace' }),
      env.services,
    );

    expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
    expect(await contents(backend, 'replaced')).toStrictEqual(
      [3, 4, 5, 6, 7, 8].map((id) => `${id}|new ${id}|${id * 10}.25`),
    );
  });

  it('leaves one copy when the same chunk is loaded twice (a retry) and the commit runs twice', async () => {
    const run = {
      runId: ulid(),
      pipelineId: 'retried-load',
      pipelineName: 'retried load',
      parameters: {},
      startedAt: new Date().toISOString(),
    };
    const path = join(env.scratch, `chunk-${run.runId}.parquet`);
    await withDuckDb({ workDir: env.scratch }, (connection) =>
      connection.run(
        `COPY (SELECT range AS id, 'row ' || range AS name, CAST(range / 4 AS DECIMAL(10,2)) AS score,
                      TIMESTAMPTZ '2024-03-01 00:00:00+00' + to_seconds(range) AS seen_at
                 FROM range(1, 2001)) TO '${path}' (FORMAT parquet)`,
      ),
    );
    const key = stagingKey(run.runId, 'src', 0);
    const bytes = await uploadFile(env.services.s3, path, env.services.env.stagingBucket, key);
    const node = {
      id: 'dest',
      module: backend.loader,
      config: JSON.stringify({
        connection: backend.connection,
        table: 'retried',
        mode: 'append',
        ...(backend.schema ? { schema: backend.schema } : {}),
      }),
    };
    const chunk = {
      index: 0,
      uri: formatS3Uri(env.services.env.stagingBucket, key),
      rows: 2000,
      bytes,
      schemaHash: 'test',
    };
    const invoke = lambdaInvokeAdapter(backend.loader, await loadFunctionHandler(backend.loader), 60);
    const loadEvent: z.input<typeof LoadEventSchema> = { action: 'load', run, node, chunk };
    const commitEvent: z.input<typeof CommitEventSchema> = { action: 'commit', run, node, maxRejectRatio: 1 };
    const load = { FunctionName: backend.loader, Payload: loadEvent };
    const commit = { FunctionName: backend.loader, Payload: commitEvent };

    await invoke(JSON.parse(JSON.stringify(load)));
    await invoke(JSON.parse(JSON.stringify(load)));
    const first = await invoke(JSON.parse(JSON.stringify(commit)));
    const again = await invoke(JSON.parse(JSON.stringify(commit)));

    const [counts] = await backend.sql('SELECT COUNT(*), COUNT(DISTINCT id) FROM {s}.retried');
    expect(counts?.map(Number)).toStrictEqual([2000, 2000]);
    expect(first).toMatchObject({ Payload: { rows: 2000 } });
    expect(again).toMatchObject({ Payload: { rows: 2000 } });
    const log = await backend.sql(`SELECT run_id, node_id, row_count FROM {s}._etl_load_commits`);
    expect(log.filter((row) => row[0] === run.runId).map((row) => row.map(String))).toStrictEqual([
      [run.runId, 'dest', '2000'],
    ]);
  });

  it('leaves the destination unchanged when the run fails before Finalize', async () => {
    await createDestination(backend, 'guarded');
    const before = await contents(backend, 'guarded');

    const result = await runPipelineLocally(
      copyPipeline(backend, { table: 'guarded', mode: 'append' }, { failOnId: 7 }),
      env.services,
    );

    expect(result.run.status).toBe('failed');
    expect(result.run.error?.nodeId).toBe('check');
    expect(await contents(backend, 'guarded')).toStrictEqual(before);
  });

  it('publishes nothing when the publishing transaction fails part way', async () => {
    // Every staged row passes staging; the destination's check refuses id 8 only, at commit.
    await createDestination(backend, 'checked', ', CONSTRAINT score_cap CHECK (score < 80)');
    const before = await contents(backend, 'checked');

    const result = await runPipelineLocally(
      copyPipeline(backend, { table: 'checked', mode: 'upsert', key_columns: ['id'] }),
      env.services,
    );

    expect(result.run.status).toBe('failed');
    expect(result.run.error).toMatchObject({ nodeId: 'dest', name: 'DataError' });
    expect(result.run.error?.message).toMatch(/score_cap/);
    expect(await contents(backend, 'checked')).toStrictEqual(before);
  });
});
