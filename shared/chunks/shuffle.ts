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

/** Where a shuffle file sits: which input, bucket and upstream chunk wrote it, and its part. */
export interface ShuffleFile {
  readonly input: number;
  readonly bucket: number;
  readonly chunk: number;
  readonly part: number;
}

/** Inverse of `shuffleFileKey`, or undefined for other keys (schema files, broadcast bookkeeping). */
export function parseShuffleFileKey(key: string): ShuffleFile | undefined {
  const match = /\/in-(\d+)\/bucket-(\d+)\/chunk-(\d+)-(\d+)\.parquet$/.exec(key);
  if (match === null) return undefined;
  const [input, bucket, chunk, part] = match.slice(1).map(Number);
  return { input: input ?? 0, bucket: bucket ?? 0, chunk: chunk ?? 0, part: part ?? 0 };
}

/** The buckets that hold rows of any input, ascending: the tasks of a barrier's reduce. */
export function bucketsOfShuffleFiles(files: readonly Pick<ShuffleFile, 'bucket'>[]): number[] {
  return [...new Set(files.map((file) => file.bucket))].sort((a, b) => a - b);
}

/**
 * Bookkeeping of a broadcast join (functions/transforms/join/): the plan's
 * decision, read by the settle step, and per task the broadcast input's rows
 * it matched, so rows matched by no task are counted once.
 */
export function broadcastPlanKey(runId: string, barrierId: string): string {
  return `runs/${runId}/${barrierId}/broadcast/plan.json`;
}

export function broadcastMatchedPrefix(runId: string, barrierId: string): string {
  return `runs/${runId}/${barrierId}/broadcast/matched/`;
}

export function broadcastMatchedKey(runId: string, barrierId: string, task: number): string {
  return `${broadcastMatchedPrefix(runId, barrierId)}task-${pad(task)}.parquet`;
}

/**
 * Codec of shuffle files: each is written once and read once, by the reduce,
 * moments later, so write speed matters more than size. Measured on a 16 MB
 * reference chunk (write + read, CPU ms, median of 5): zstd 183, lz4_raw 159,
 * snappy 153, uncompressed 149: snappy keeps most of the gain and still compresses.
 */
export const INTERMEDIATE_COMPRESSION = 'snappy';

/** Hidden columns carried through a shuffle so reducers can keep input order. */
export const ORDER_COLUMNS = ['_etl_chunk', '_etl_row'] as const;
