/**
 * What a kind of run of the concurrent-runs check is: its pipeline for the
 * i-th run (a destination of its own, so runs never share one), the oracle
 * DuckDB computes over the input file, and how to read the same figures back
 * from the destination; plus the inputs every kind reads.
 */
import { join } from 'node:path';
import type { ParameterValues } from '../../shared/duckdb/engine.ts';
import type { Pipeline } from '../../shared/spec/schema.ts';
import { REPO_ROOT, SHARED_DATA, type TestEnvironment } from '../integration/harness.ts';
import type { PostgresFixture } from '../integration/sql-connectors-fixtures.ts';

/** What an oracle and a destination are compared on: row count and a value checksum per output. */
export type Fingerprint = Readonly<Record<string, { readonly rows: number; readonly checksum: string }>>;

export interface DestinationReaders {
  readonly env: TestEnvironment;
  readonly postgres: PostgresFixture;
  /** The registered connection naming `postgres`'s database. */
  readonly postgresConnection: string;
}

export interface RunKind {
  readonly name: string;
  readonly parameters?: ParameterValues;
  /** The pipeline of run `index`, writing to a destination of its own. */
  pipeline(index: number, readers: DestinationReaders): Promise<Pipeline>;
  /** Rows the extractor reads, and the fingerprint of every output, computed by DuckDB over the input. */
  oracle(): Promise<{ readonly rowsRead: number; readonly outputs: Fingerprint }>;
  /** The same fingerprint read back from run `index`'s destinations. */
  destination(index: number, readers: DestinationReaders): Promise<Fingerprint>;
}

/** The objects the runs read, uploaded once before they start. */
export const INPUTS = [
  {
    path: join(REPO_ROOT, 'examples/birdstrikes/data/birdstrikes.csv'),
    bucket: 'examples',
    key: 'birdstrikes/birdstrikes.csv',
  },
  {
    path: join(REPO_ROOT, 'examples/movies/data/movies.json'),
    bucket: 'examples',
    key: 'movies/movies.json',
  },
  { path: join(SHARED_DATA, 'weather.csv'), bucket: 'inputs', key: 'weather/weather.csv' },
  { path: join(SHARED_DATA, 'zipcodes.csv'), bucket: 'inputs', key: 'zipcodes/zipcodes.csv' },
] as const;

export const asNumber = (value: unknown) => Number(value ?? Number.NaN);
export const asText = (value: unknown) => String(value ?? '');

export async function oneRow(rows: Promise<Record<string, unknown>[]>, what: string) {
  const [row] = await rows;
  if (row === undefined) throw new Error(`${what} returned no row`);
  return row;
}
