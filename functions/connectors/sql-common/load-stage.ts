/**
 * Stages one chunk: its rows go into the run's staging table, tagged with the
 * chunk index, in one transaction that first deletes that chunk's rows, under
 * a lock per chunk. A retried or duplicated chunk therefore replaces its own
 * rows; nothing reaches the destination table before the commit.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { describeColumns } from '../../../shared/duckdb/parquet.ts';
import { ConfigError, SourceNotFoundError } from '../../../shared/errors.ts';
import type { ColumnInfo, ConnectorIo, StagedLoad } from '../../../shared/modules/kernels.ts';
import { readInputBatches } from './duckdb-input.ts';
import type { SqlLoadConfig } from './load-config.ts';
import type { BindValue, LoadDialect, SqlSession, TableColumn } from './session.ts';
import { CHUNK_COLUMN, chunkIndexFromStagingPrefix, ROW_COLUMN, stagingTableName } from './staging-table.ts';

/** Both servers cap a statement at 65,535 placeholders. */
const MAX_PLACEHOLDERS = 65_535;

export function qualifiedName(dialect: LoadDialect, schema: string, table: string): string {
  return `${dialect.quoteIdent(schema)}.${dialect.quoteIdent(table)}`;
}

function checkKeyColumns(config: SqlLoadConfig, columns: readonly ColumnInfo[]): void {
  const missing = config.key_columns.filter((key) => !columns.some((column) => column.name === key));
  if (missing.length > 0) {
    throw new ConfigError(
      `key_columns ${missing.join(', ')} are not columns of the input (columns: ${columns.map((c) => c.name).join(', ')})`,
    );
  }
}

/** Staging columns typed like the destination's, or from the data when the table does not exist yet. */
function stagingColumns(
  dialect: LoadDialect,
  config: SqlLoadConfig,
  input: readonly ColumnInfo[],
  target: readonly TableColumn[] | undefined,
  targetName: string,
): TableColumn[] {
  if (target === undefined) {
    return input.map((column) => ({
      name: column.name,
      type: dialect.columnType(column.type, config.key_columns.includes(column.name)),
    }));
  }
  const missing = input.filter((column) => !target.some((existing) => existing.name === column.name));
  if (missing.length > 0) {
    throw new ConfigError(
      `columns ${missing.map((c) => c.name).join(', ')} of the input are not in ${targetName} (its columns: ${target.map((c) => c.name).join(', ')})`,
    );
  }
  return input.map((column) => target.find((existing) => existing.name === column.name) as TableColumn);
}

async function checkDestination(
  session: SqlSession,
  dialect: LoadDialect,
  config: SqlLoadConfig,
  schema: string,
): Promise<TableColumn[] | undefined> {
  const target = await dialect.describeTable(session, schema, config.table);
  const name = `${schema}.${config.table}`;
  if (target === undefined && !config.create_table) {
    throw new SourceNotFoundError(`table ${name} does not exist (set create_table to create it)`);
  }
  if (
    target !== undefined &&
    config.mode === 'upsert' &&
    !(await dialect.hasUniqueKey(session, schema, config.table, config.key_columns))
  ) {
    throw new ConfigError(
      `upsert into ${name} needs a primary key or unique index on exactly (${config.key_columns.join(', ')})`,
    );
  }
  return target;
}

function insertStatement(
  dialect: LoadDialect,
  staging: string,
  columns: readonly TableColumn[],
  rows: readonly (readonly BindValue[])[],
): string {
  const names = [...columns.map((column) => column.name), CHUNK_COLUMN, ROW_COLUMN].map((name) =>
    dialect.quoteIdent(name),
  );
  let position = 0;
  const tuples = rows.map(() => `(${names.map(() => dialect.placeholder(++position)).join(', ')})`);
  return `INSERT INTO ${staging} (${names.join(', ')}) VALUES ${tuples.join(', ')}`;
}

function boundBytes(values: readonly BindValue[]): number {
  return values.reduce<number>(
    (sum, value) =>
      sum +
      (typeof value === 'string' ? Buffer.byteLength(value) : value instanceof Uint8Array ? value.length : 8),
    0,
  );
}

export async function stageSqlLoad(
  dialect: LoadDialect,
  config: SqlLoadConfig,
  io: ConnectorIo & { readonly connection: DuckDBConnection; readonly stagingPrefix: string },
): Promise<StagedLoad> {
  const chunkIndex = chunkIndexFromStagingPrefix(io.stagingPrefix);
  const input = await describeColumns(io.connection, 'input');
  checkKeyColumns(config, input);
  const session = await dialect.open(config.connection);
  try {
    const schema = config.schema ?? session.defaultSchema;
    const target = await checkDestination(session, dialect, config, schema);
    const columns = stagingColumns(dialect, config, input, target, `${schema}.${config.table}`);
    const stagingName = stagingTableName(io.run, io.nodeId);
    const staging = qualifiedName(dialect, schema, stagingName);
    // Chunks stage in parallel: one creates the table, the others wait for it.
    await dialect.withLock(session, `etl-stage:${schema}.${stagingName}`, async () => {
      const all = [
        ...columns,
        { name: CHUNK_COLUMN, type: dialect.columnType('INTEGER', true) },
        { name: ROW_COLUMN, type: dialect.columnType('BIGINT', true) },
      ];
      for (const statement of dialect.createTable(schema, stagingName, all, { index: CHUNK_COLUMN })) {
        await session.query(statement);
      }
    });

    const rowsPerStatement = Math.min(config.batch_rows, Math.floor(MAX_PLACEHOLDERS / (columns.length + 2)));
    // Two deliveries of the same chunk at once: each one's DELETE cannot see the other's uncommitted
    // rows, so both would insert (checked on MariaDB: the chunk staged twice). One at a time, the
    // second replaces the first's rows.
    const chunkLock = `etl-stage:${schema}.${stagingName}#${chunkIndex}`;
    return await dialect.withLock(session, chunkLock, () =>
      session.transaction(async () => {
        await session.query(
          `DELETE FROM ${staging} WHERE ${dialect.quoteIdent(CHUNK_COLUMN)} = ${dialect.placeholder(1)}`,
          [chunkIndex],
        );
        let rows = 0;
        let bytes = 0;
        for await (const batch of readInputBatches(io.connection, dialect, input, rowsPerStatement)) {
          const tagged = batch.map((values, offset) => [...values, chunkIndex, rows + offset]);
          const params = tagged.flat();
          await session.query(insertStatement(dialect, staging, columns, tagged), params);
          rows += batch.length;
          bytes += boundBytes(params);
        }
        return { rows, files: 0, bytes };
      }),
    );
  } finally {
    await session.close();
  }
}
