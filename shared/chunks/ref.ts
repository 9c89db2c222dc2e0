/**
 * Chunks: what states pass between tasks. Never rows, only small references,
 * so no payload comes near Step Functions' 256 KB limit.
 */
import { z } from 'zod';
import { InvalidEventError } from '../errors.ts';

/** What a plan call returns for one chunk: module-specific, JSON, small. */
export const ChunkDescriptorSchema = z
  .object({
    index: z.int().min(0),
  })
  .catchall(z.unknown());
export type ChunkDescriptor = z.output<typeof ChunkDescriptorSchema>;

/** Reads a descriptor back as the module's own shape: a wrong one is a translator or caller bug. */
export function parseChunkDescriptor<TSchema extends z.ZodType>(
  schema: TSchema,
  chunk: ChunkDescriptor,
  kind: string,
): z.output<TSchema> {
  const parsed = schema.safeParse(chunk);
  if (!parsed.success) {
    throw new InvalidEventError(
      `chunk ${chunk.index} is not a ${kind} chunk descriptor: ${JSON.stringify(chunk)}`,
    );
  }
  return parsed.data;
}

/** A chunk materialized as Parquet in the staging bucket. */
export const ChunkRefSchema = z.strictObject({
  index: z.int().min(0),
  uri: z.string().startsWith('s3://'),
  rows: z.int().min(0),
  bytes: z.int().min(0),
  /** First 16 hex chars of the SHA-256 of the column names and types: detects drift cheaply. */
  schemaHash: z.string(),
});
export type ChunkRef = z.output<typeof ChunkRefSchema>;

export function chunkFileName(index: number): string {
  return `part-${String(index).padStart(5, '0')}.parquet`;
}

/** Deterministic staging key: a retried chunk overwrites its own output, never duplicates it. */
export function stagingKey(runId: string, nodeId: string, index: number): string {
  return `runs/${runId}/${nodeId}/${chunkFileName(index)}`;
}

/** Quarantine: the rows of a chunk a node could not take, with where they came from and why. */
export function rejectsPrefix(runId: string, nodeId: string): string {
  return `runs/${runId}/${nodeId}/rejects/`;
}

export function rejectsKey(runId: string, nodeId: string, index: number): string {
  return `${rejectsPrefix(runId, nodeId)}${chunkFileName(index)}`;
}

/** Prefix under which a loader stages a chunk's files before Finalize commits them. */
export function loaderStagingPrefix(runId: string, nodeId: string, index?: number): string {
  const base = `runs/${runId}/${nodeId}/staged/`;
  return index === undefined ? base : `${base}chunk-${String(index).padStart(5, '0')}/`;
}
