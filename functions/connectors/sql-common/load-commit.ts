/**
 * Publishes a run's staged rows in ONE transaction (append, replace or
 * upsert), recording the run and node in a commit log inside the same
 * transaction: a repeated commit (a retried Finalize step) finds the record
 * and publishes nothing twice. Runs under a lock, so concurrent attempts
 * queue rather than race.
 */
import { SourceNotFoundError } from '../../../shared/errors.ts';
import type { CommitResult, ConnectorIo } from '../../../shared/modules/kernels.ts';
import type { SqlLoadConfig } from './load-config.ts';
import { qualifiedName } from './load-stage.ts';
import type { LoadDialect, SqlSession, TableColumn } from './session.ts';
import {
  CHUNK_COLUMN,
  COMMIT_LOG_TABLE,
  isExpiredStagingTable,
  ROW_COLUMN,
  STAGING_PREFIX,
  stagingTableName,
} from './staging-table.ts';

interface CommitTarget {
  readonly session: SqlSession;
  readonly dialect: LoadDialect;
  readonly config: SqlLoadConfig;
  readonly schema: string;
  readonly stagingName: string;
  readonly io: ConnectorIo;
}

function commitLogColumns(dialect: LoadDialect): TableColumn[] {
  return [
    { name: 'run_id', type: dialect.columnType('VARCHAR', true) },
    { name: 'node_id', type: dialect.columnType('VARCHAR', true) },
    { name: 'target', type: dialect.columnType('VARCHAR', false) },
    { name: 'mode', type: dialect.columnType('VARCHAR', false) },
    { name: 'row_count', type: dialect.columnType('BIGINT', false) },
    { name: 'committed_at', type: dialect.columnType('TIMESTAMP WITH TIME ZONE', false) },
  ];
}

async function ensureCommitLog(target: CommitTarget): Promise<void> {
  const { session, dialect, schema } = target;
  await dialect.withLock(session, `etl-commit-log:${schema}`, async () => {
    const statements = dialect.createTable(schema, COMMIT_LOG_TABLE, commitLogColumns(dialect), {
      primaryKey: ['run_id', 'node_id'],
    });
    for (const statement of statements) await session.query(statement);
  });
}

async function committedRows(target: CommitTarget): Promise<number | undefined> {
  const { session, dialect, schema, io } = target;
  const q = (name: string) => dialect.quoteIdent(name);
  const { rows } = await session.query(
    `SELECT ${q('row_count')} FROM ${qualifiedName(dialect, schema, COMMIT_LOG_TABLE)} WHERE ${q('run_id')} = ${dialect.placeholder(1)} AND ${q('node_id')} = ${dialect.placeholder(2)}`,
    [io.run.runId, io.nodeId],
  );
  const value = rows[0]?.[0];
  return value === undefined ? undefined : Number(value);
}

async function recordCommit(target: CommitTarget, rows: number): Promise<void> {
  const { session, dialect, schema, config, io } = target;
  const columns = ['run_id', 'node_id', 'target', 'mode', 'row_count', 'committed_at'].map((name) =>
    dialect.quoteIdent(name),
  );
  const values = [1, 2, 3, 4, 5].map((position) => dialect.placeholder(position));
  await session.query(
    `INSERT INTO ${qualifiedName(dialect, schema, COMMIT_LOG_TABLE)} (${columns.join(', ')}) VALUES (${values.join(', ')}, CURRENT_TIMESTAMP)`,
    [io.run.runId, io.nodeId, `${schema}.${config.table}`, config.mode, String(rows)],
  );
}

/** Staged rows that will be published: every row, or one per key for upsert. */
async function stagedRowCount(target: CommitTarget, staging: string): Promise<number> {
  const { session, dialect, config } = target;
  const sql =
    config.mode === 'upsert'
      ? `SELECT COUNT(*) FROM (SELECT DISTINCT ${config.key_columns.map((key) => dialect.quoteIdent(key)).join(', ')} FROM ${staging}) AS etl_keys`
      : `SELECT COUNT(*) FROM ${staging}`;
  const { rows } = await session.query(sql);
  return Number(rows[0]?.[0] ?? 0);
}

async function publish(
  target: CommitTarget,
  columns: readonly TableColumn[],
  destination: string,
  staging: string,
) {
  const { session, dialect, config } = target;
  const names = columns.map((column) => column.name);
  if (config.mode === 'upsert') {
    await session.query(dialect.upsertStatement(destination, staging, names, config.key_columns));
    return;
  }
  const list = names.map((name) => dialect.quoteIdent(name)).join(', ');
  const order = [CHUNK_COLUMN, ROW_COLUMN].map((name) => dialect.quoteIdent(name)).join(', ');
  await session.query(
    `INSERT INTO ${destination} (${list}) SELECT ${list} FROM ${staging} ORDER BY ${order}`,
  );
}

async function createDestination(target: CommitTarget, columns: readonly TableColumn[]): Promise<void> {
  const { session, dialect, config, schema } = target;
  const primaryKey = config.mode === 'upsert' ? config.key_columns : undefined;
  for (const statement of dialect.createTable(
    schema,
    config.table,
    columns,
    primaryKey ? { primaryKey } : {},
  )) {
    await session.query(statement);
  }
}

async function dropStaging(target: CommitTarget): Promise<void> {
  const { session, dialect, schema, stagingName } = target;
  await session.query(`DROP TABLE IF EXISTS ${qualifiedName(dialect, schema, stagingName)}`);
}

/** Staging tables of runs that never committed, past the redrive window. */
async function dropExpiredStaging(target: CommitTarget, now: Date): Promise<void> {
  const { session, dialect, schema } = target;
  for (const name of await dialect.listTables(session, schema, STAGING_PREFIX)) {
    if (isExpiredStagingTable(name, now)) {
      await session.query(`DROP TABLE IF EXISTS ${qualifiedName(dialect, schema, name)}`);
    }
  }
}

async function publishOnce(target: CommitTarget): Promise<number> {
  const { session, dialect, config, schema, stagingName } = target;
  const already = await committedRows(target);
  if (already !== undefined) {
    await dropStaging(target);
    return already;
  }
  const stagingColumns = await dialect.describeTable(session, schema, stagingName);
  const columns = (stagingColumns ?? []).filter(
    (column) => column.name !== CHUNK_COLUMN && column.name !== ROW_COLUMN,
  );
  const destinationColumns = await dialect.describeTable(session, schema, config.table);
  if (destinationColumns === undefined && !config.create_table) {
    throw new SourceNotFoundError(
      `table ${schema}.${config.table} does not exist (set create_table to create it)`,
    );
  }
  const staging = qualifiedName(dialect, schema, stagingName);
  const destination = qualifiedName(dialect, schema, config.table);
  // Nothing staged and no table: there is nothing to create it from, and nothing to publish.
  const create = destinationColumns === undefined && stagingColumns !== undefined;
  if (create && !dialect.transactionalDdl) await createDestination(target, columns);

  const rows = await session.transaction(async () => {
    if (create && dialect.transactionalDdl) await createDestination(target, columns);
    const count = stagingColumns === undefined ? 0 : await stagedRowCount(target, staging);
    if (config.mode === 'replace' && destinationColumns !== undefined)
      await session.query(`DELETE FROM ${destination}`);
    if (count > 0) await publish(target, columns, destination, staging);
    await recordCommit(target, count);
    if (dialect.transactionalDdl) await dropStaging(target);
    return count;
  });
  // MySQL commits implicitly at DDL: drop only once the data is published.
  if (!dialect.transactionalDdl) await dropStaging(target);
  return rows;
}

export async function commitSqlLoad(
  dialect: LoadDialect,
  config: SqlLoadConfig,
  io: ConnectorIo,
  now: Date = new Date(),
): Promise<CommitResult> {
  const session = await dialect.open(config.connection);
  try {
    const schema = config.schema ?? session.defaultSchema;
    const stagingName = stagingTableName(io.run, io.nodeId);
    const target: CommitTarget = { session, dialect, config, schema, stagingName, io };
    await ensureCommitLog(target);
    // Housekeeping first: if it fails, nothing has been published yet.
    await dropExpiredStaging(target, now);
    const rows = await dialect.withLock(session, `etl-commit:${io.run.runId}/${io.nodeId}`, () =>
      publishOnce(target),
    );
    return {
      files: 0,
      rows,
      destination: `${dialect.name}://${config.connection}/${schema}.${config.table}`,
    };
  } finally {
    await session.close();
  }
}
