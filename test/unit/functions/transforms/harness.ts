/** Runs transform kernels against real data in a throwaway DuckDB, as the transform handler does. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, withDuckDb } from '../../../../shared/duckdb/engine.ts';
import { describeColumns } from '../../../../shared/duckdb/parquet.ts';
import { sqlString } from '../../../../shared/duckdb/sql.ts';
import type { ColumnInfo, TransformKernel } from '../../../../shared/modules/kernels.ts';

// The team's data kit lives beside the checkout (../shared/), in CI too.
function vegaFile(name: string): string {
  return fileURLToPath(new URL(`../../../../../shared/data/vega/${name}`, import.meta.url));
}

/** Birdstrikes as DuckDB infers it: names with spaces and `$`, DATE and BIGINT columns. */
export const BIRDSTRIKES = `SELECT * FROM read_csv(${sqlString(vegaFile('birdstrikes.csv'))})`;

/** Zip codes with every column forced to VARCHAR, so `00501` keeps its leading zeros. */
export const ZIPCODES = `SELECT * FROM read_csv(${sqlString(vegaFile('zipcodes.csv'))}, all_varchar = true)`;

export interface InputTable {
  readonly connection: DuckDBConnection;
  readonly inputColumns: readonly ColumnInfo[];
  /** Rows of any query, JSON-safe (BIGINT and DATE as strings). */
  rows(sql: string): Promise<Record<string, unknown>[]>;
  /** Runs a kernel over `input` and returns its output rows. */
  transform<TConfig>(kernel: TransformKernel<TConfig>, config: TConfig): Promise<Record<string, unknown>[]>;
  /** The kernel's output columns, names and types. */
  outputColumns<TConfig>(kernel: TransformKernel<TConfig>, config: TConfig): Promise<ColumnInfo[]>;
}

/** Exposes `inputSql` as the view `input` and hands the test a small API over it. */
export async function withInput<T>(inputSql: string, work: (table: InputTable) => Promise<T>): Promise<T> {
  const workDir = await mkdtemp(join(tmpdir(), 'etl-transform-test-'));
  try {
    return await withDuckDb({ workDir }, async (connection) => {
      await connection.run(`CREATE VIEW input AS ${inputSql}`);
      const inputColumns = await describeColumns(connection, 'input');
      const query = <TConfig>(kernel: TransformKernel<TConfig>, config: TConfig) =>
        kernel({ config, connection, inputColumns });
      return work({
        connection,
        inputColumns,
        rows: (sql) => queryRows(connection, sql),
        transform: async (kernel, config) => queryRows(connection, await query(kernel, config)),
        outputColumns: async (kernel, config) =>
          describeColumns(connection, `(${await query(kernel, config)})`),
      });
    });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
