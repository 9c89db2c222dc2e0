/**
 * Where a barrier's shuffled rows live in the staging bucket. Keys derive
 * from run, node, input, bucket and upstream chunk, so a retried shuffle
 * overwrites its own files and never duplicates rows.
 */

const pad = (value: number) => String(value).padStart(5, '0');

export function shufflePrefix(runId: string, barrierId: string): string {
  return `runs/${runId}/${barrierId}/shuffle/`;
}

export function shuffleInputPrefix(runId: string, barrierId: string, input: number): string {
  return `${shufflePrefix(runId, barrierId)}in-${input}/`;
}

export function shuffleBucketPrefix(runId: string, barrierId: string, input: number, bucket: number): string {
  return `${shuffleInputPrefix(runId, barrierId, input)}bucket-${pad(bucket)}/`;
}

/** `part` tells apart the files DuckDB may write for one bucket of one chunk. */
export function shuffleFileKey(
  runId: string,
  barrierId: string,
  input: number,
  bucket: number,
  chunk: number,
  part: number,
): string {
  return `${shuffleBucketPrefix(runId, barrierId, input, bucket)}chunk-${pad(chunk)}-${part}.parquet`;
}

/** An empty Parquet file with the input's columns: lets a bucket with no rows from an input still read it. */
export function shuffleSchemaKey(runId: string, barrierId: string, input: number): string {
  return `${shuffleInputPrefix(runId, barrierId, input)}schema.parquet`;
}

/** The bucket a shuffle file key belongs to, or undefined for other keys. */
export function bucketOfShuffleKey(key: string): number | undefined {
  const match = /\/bucket-(\d+)\/chunk-\d+-\d+\.parquet$/.exec(key);
  return match ? Number(match[1]) : undefined;
}

/** Hidden columns carried through a shuffle so reducers can keep input order. */
export const ORDER_COLUMNS = ['_etl_chunk', '_etl_row'] as const;
