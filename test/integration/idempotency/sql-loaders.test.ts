/**
 * The SQL loaders under duplicate delivery, against the real PostgreSQL and
 * MariaDB: a chunk's `load` delivered again and twice at once stages its
 * rows once (its staging rows are tagged by chunk and replaced), and the
 * `commit` delivered again and several times at once publishes once (the
 * commit log row written in the publishing transaction, under a lock).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFunctionHandler } from '../../../shared/runtime/function-handlers.ts';
import { stageSourceChunk, testRun } from '../connectors/outputs.ts';
import { startTestEnvironment, type TestEnvironment } from '../harness.ts';
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
} from '../sql-connectors-fixtures.ts';
import { deliverConcurrently, invoker } from './deliveries.ts';

const CHUNK_ROWS = 1500;

interface Backend {
  readonly loader: 'postgres-load' | 'mysql-load';
  readonly connection: string;
  readonly schema?: string;
  /** Rows of `table` in the backend's schema or database. */
  count(sql: string): Promise<number[]>;
  close(): Promise<void>;
}

let env: TestEnvironment;

async function postgres(): Promise<Backend> {
  const db: PostgresFixture = await postgresFixture();
  return setUpOrClose(db, async () => {
    const connection = uniqueName('pg');
    await addConnection(connection, 'postgres', { ...POSTGRES });
    return {
      loader: 'postgres-load',
      connection,
      schema: db.schema,
      count: async (sql) => ((await db.query(sql.replaceAll('{s}.', `${db.schema}.`)))[0] ?? []).map(Number),
      close: () => db.close(),
    };
  });
}

async function mariaDb(): Promise<Backend> {
  const db: MariaDbFixture = await mariaDbFixture();
  return setUpOrClose(db, async () => {
    const connection = uniqueName('maria');
    await addConnection(connection, 'mysql', { ...MARIADB, database: db.database });
    return {
      loader: 'mysql-load',
      connection,
      count: async (sql) => ((await db.query(sql.replaceAll('{s}.', '')))[0] ?? []).map(Number),
      close: () => db.close(),
    };
  });
}

beforeAll(async () => {
  env = await startTestEnvironment();
});
afterAll(() => env?.close());

describe.each([
  ['postgres-load', postgres],
  ['mysql-load', mariaDb],
])('%s delivered more than once', (_name, open) => {
  let backend: Backend;

  beforeAll(async () => {
    backend = await open();
  });
  afterAll(() => backend?.close());

  it('loads one copy of every row, whatever the repeats of load and commit', async () => {
    const run = testRun('sql-duplicates');
    const node = {
      id: 'dest',
      module: backend.loader,
      config: JSON.stringify({
        connection: backend.connection,
        table: 'delivered',
        mode: 'append',
        ...(backend.schema ? { schema: backend.schema } : {}),
      }),
    };
    const chunks = await Promise.all(
      [0, 1].map((index) =>
        stageSourceChunk(
          env,
          run,
          index,
          `SELECT ${index} * 100000 + range AS id, 'row ' || range AS label FROM range(${CHUNK_ROWS})`,
        ),
      ),
    );
    const deliver = invoker(backend.loader, await loadFunctionHandler(backend.loader));
    const commit = { action: 'commit', run, node, maxRejectRatio: 1 };

    // Chunk 0 twice at once, chunk 1 once and then again.
    const loads = [
      ...(await deliverConcurrently(deliver, { action: 'load', run, node, chunk: chunks[0] }, 2)),
      await deliver({ action: 'load', run, node, chunk: chunks[1] }),
      await deliver({ action: 'load', run, node, chunk: chunks[1] }),
    ];
    const commits = await deliverConcurrently(deliver, commit, 3);
    const late = await deliver(commit);

    expect(loads.map((load) => load.errorMessage)).toStrictEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(commits.map((answer) => answer.errorMessage)).toStrictEqual([undefined, undefined, undefined]);
    for (const answer of [...commits, late]) expect(answer.payload).toMatchObject({ rows: 2 * CHUNK_ROWS });
    expect(await backend.count('SELECT COUNT(*), COUNT(DISTINCT id) FROM {s}.delivered')).toStrictEqual([
      2 * CHUNK_ROWS,
      2 * CHUNK_ROWS,
    ]);
    expect(
      await backend.count(`SELECT COUNT(*) FROM {s}._etl_load_commits WHERE run_id = '${run.runId}'`),
    ).toStrictEqual([1]);
  });
});
