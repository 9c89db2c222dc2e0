/**
 * Where a scenario loads (through the loaders' real exactly-once path) and
 * how the test reads back what landed there, bypassing every fault proxy.
 */
import { listObjects } from '../../shared/aws/s3-objects.ts';
import { queryDataset } from '../integration/harness.ts';
import type { FaultEnvironment } from './fault-environment.ts';
import type { Destination } from './scenarios.ts';

export const LAKE_BUCKET = 'lake';

export interface Loader {
  readonly module: string;
  readonly config: Record<string, unknown>;
}

/** The loader node of a scenario: its own table or prefix, appended to. */
export function loaderFor(env: FaultEnvironment, destination: Destination, name: string): Loader {
  switch (destination) {
    case 's3-parquet':
      return { module: 's3-parquet', config: { bucket: LAKE_BUCKET, prefix: `${name}/` } };
    case 'postgres':
      return {
        module: 'postgres-load',
        config: { connection: env.postgres.connection, schema: env.postgres.fixture.schema, table: name },
      };
    case 'mariadb':
      return { module: 'mysql-load', config: { connection: env.mariadb.connection, table: name } };
  }
}

/** Every `fp` value the destination holds, one entry per row. */
export async function loadedFingerprints(
  env: FaultEnvironment,
  destination: Destination,
  name: string,
): Promise<string[]> {
  switch (destination) {
    case 's3-parquet': {
      const files = await listObjects(env.test.services.s3, LAKE_BUCKET, `${name}/`);
      if (!files.some((file) => file.key.endsWith('.parquet'))) return [];
      const rows = await queryDataset(env.test, LAKE_BUCKET, `${name}/`, 'SELECT fp FROM dataset');
      return rows.map((row) => String(row.fp));
    }
    case 'postgres': {
      const rows = await noTableIsNoRows(() =>
        env.postgres.fixture.query<[string]>(`SELECT fp FROM ${env.postgres.fixture.schema}.${name}`),
      );
      return rows.map(([fp]) => fp);
    }
    case 'mariadb': {
      const rows = await noTableIsNoRows(() => env.mariadb.fixture.query<[string]>(`SELECT fp FROM ${name}`));
      return rows.map(([fp]) => fp);
    }
  }
}

/** PostgreSQL's undefined_table and MariaDB's ER_NO_SUCH_TABLE: the loader never published. */
const NO_SUCH_TABLE = new Set(['42P01', 'ER_NO_SUCH_TABLE']);

/**
 * A destination table that was never created holds no rows: a run that never
 * committed lost every expected row, which the oracle counts instead of crashing.
 */
async function noTableIsNoRows<T>(query: () => Promise<T[]>): Promise<T[]> {
  try {
    return await query();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && NO_SUCH_TABLE.has(code)) return [];
    throw error;
  }
}

export interface MultisetDifference {
  /** Expected rows absent from the destination (counting multiplicity). */
  readonly lost: number;
  /** Rows the destination holds more often than expected (a duplicate or a row that should not be there). */
  readonly duplicated: number;
}

export function compareMultisets(expected: readonly string[], actual: readonly string[]): MultisetDifference {
  const balance = new Map<string, number>();
  for (const fp of expected) balance.set(fp, (balance.get(fp) ?? 0) + 1);
  for (const fp of actual) balance.set(fp, (balance.get(fp) ?? 0) - 1);
  let lost = 0;
  let duplicated = 0;
  for (const count of balance.values()) {
    if (count > 0) lost += count;
    else duplicated -= count;
  }
  return { lost, duplicated };
}
