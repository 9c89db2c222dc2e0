/**
 * Reading a broadcast join's shuffled inputs: one upstream chunk of the
 * stream input, or every file of the broadcast input, as a DuckDB view.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { downloadToFile, listObjects } from '../../../shared/aws/s3-objects.ts';
import {
  SLOT_COLUMN,
  shuffleFileKey,
  shuffleFilesAmong,
  shuffleInputPrefix,
  shuffleSchemaKey,
} from '../../../shared/chunks/shuffle.ts';
import { describeColumns } from '../../../shared/duckdb/parquet.ts';
import { sqlIdent, sqlString } from '../../../shared/duckdb/sql.ts';
import { DataError, SourceNotFoundError } from '../../../shared/errors.ts';
import type { HandlerDeps } from '../../../shared/lambda/deps.ts';
import type { ColumnInfo } from '../../../shared/modules/kernels.ts';

/** Downloads at a time: a task reads every file of the broadcast input, often hundreds of small ones. */
const PARALLEL_DOWNLOADS = 8;

export interface ShuffledInput {
  readonly runId: string;
  readonly nodeId: string;
  readonly input: number;
}

/** Keys of every shuffle file one input wrote (all buckets, all chunks). */
export async function allShuffleFiles(deps: HandlerDeps, shuffled: ShuffledInput): Promise<string[]> {
  const objects = await listObjects(
    deps.s3,
    deps.env.stagingBucket,
    shuffleInputPrefix(shuffled.runId, shuffled.nodeId, shuffled.input),
  );
  return shuffleFilesAmong(objects, shuffled.runId, shuffled.nodeId).map((file) => file.key);
}

/** Keys of the files one upstream chunk wrote, from the `[modulus, bucket, part]` triples the plan listed. */
export function chunkShuffleFiles(
  shuffled: ShuffledInput,
  chunk: number,
  files: readonly (readonly [number, number, number])[],
): string[] {
  return files.map(([modulus, bucket, part]) =>
    shuffleFileKey(shuffled.runId, shuffled.nodeId, { input: shuffled.input, modulus, bucket, chunk, part }),
  );
}

/** Downloads `keys` into `dir`, a few at a time; returns the local paths in key order. */
export async function downloadAll(
  deps: HandlerDeps,
  keys: readonly string[],
  dir: string,
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths = keys.map((_, index) => join(dir, `part-${index}.parquet`));
  let next = 0;
  const worker = async () => {
    while (next < keys.length) {
      const index = next++;
      await downloadToFile(deps.s3, deps.env.stagingBucket, keys[index] as string, paths[index] as string);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_DOWNLOADS, keys.length) }, worker));
  return paths;
}

/**
 * Creates the view `input_<input>` over `keys` plus the input's schema file
 * (so an input with no rows here still has its columns); returns its columns.
 */
export async function openShuffledInput(
  deps: HandlerDeps,
  connection: DuckDBConnection,
  shuffled: ShuffledInput,
  keys: readonly string[],
  workDir: string,
): Promise<ColumnInfo[]> {
  const dir = join(workDir, `in-${shuffled.input}`);
  const schemaKey = shuffleSchemaKey(shuffled.runId, shuffled.nodeId, shuffled.input);
  const [schemaPath] = await downloadAll(deps, [schemaKey], join(dir, 'schema')).catch((error: unknown) => {
    if (!(error instanceof SourceNotFoundError)) throw error;
    throw new DataError(
      `input ${shuffled.input} of ${shuffled.nodeId} produced no chunks, so it has no columns to read`,
      { cause: error },
    );
  });
  const paths = await downloadAll(deps, keys, dir);
  const view = sqlIdent(`input_${shuffled.input}`);
  const files = [schemaPath as string, ...paths].map(sqlString).join(', ');
  // The slot only matters to bucket reduces: a broadcast task reads whole files.
  await connection.run(
    `CREATE VIEW ${view} AS SELECT * EXCLUDE (${SLOT_COLUMN}) FROM read_parquet([${files}], union_by_name = true)`,
  );
  return describeColumns(connection, view);
}
