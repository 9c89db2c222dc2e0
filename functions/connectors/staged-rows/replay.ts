/**
 * Replays a run's staged rows in a fixed order (chunk index, then row in the
 * chunk) in batches, so batch `b` of chunk `c` holds the same rows on every
 * attempt of Finalize: the numbering an idempotency key can rest on.
 */
import { createInterface } from 'node:readline';
import type { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { getJson, listObjects, openObjectStream } from '../../../shared/aws/s3-objects.ts';
import { InvalidEventError } from '../../../shared/errors.ts';
import { STAGED_MARKER } from '../s3-load-common/stage-files.ts';
import { STAGED_ROWS_FILE } from './stage.ts';

const StagedMarkerSchema = z.object({ rows: z.int().min(0), files: z.array(z.string()) });

export interface StagedBatch {
  readonly chunk: number;
  /** 0-based within the chunk. */
  readonly batch: number;
  /** 0-based row of the chunk the batch starts at. */
  readonly firstRow: number;
  /** Each row's JSON text, as DuckDB wrote it. */
  readonly lines: readonly string[];
}

export interface StagedChunk {
  readonly chunk: number;
  readonly rows: number;
  /** Key of the chunk's NDJSON file, absent for an empty chunk. */
  readonly key: string | undefined;
}

/** The run's staged chunks with markers, in chunk order (unmarked ones never finished staging). */
export async function listStagedChunks(
  s3: S3Client,
  bucket: string,
  stagingPrefix: string,
): Promise<StagedChunk[]> {
  const objects = await listObjects(s3, bucket, stagingPrefix);
  const chunks: StagedChunk[] = [];
  for (const marker of objects.filter((object) => object.key.endsWith(`/${STAGED_MARKER}`))) {
    const chunkPrefix = marker.key.slice(0, -STAGED_MARKER.length);
    const match = /chunk-(\d+)\/$/.exec(chunkPrefix);
    if (match?.[1] === undefined) continue;
    const parsed = StagedMarkerSchema.safeParse(await getJson(s3, bucket, marker.key));
    if (!parsed.success)
      throw new InvalidEventError(`staged marker ${marker.key} is malformed: ${parsed.error.message}`);
    const key = parsed.data.files.includes(STAGED_ROWS_FILE)
      ? `${chunkPrefix}${STAGED_ROWS_FILE}`
      : undefined;
    chunks.push({ chunk: Number(match[1]), rows: parsed.data.rows, key });
  }
  return chunks.sort((a, b) => a.chunk - b.chunk);
}

/** Streams one staged chunk in batches of `size` rows; memory holds one batch. */
export async function* replayChunk(
  s3: S3Client,
  bucket: string,
  chunk: StagedChunk,
  size: number,
): AsyncGenerator<StagedBatch> {
  if (chunk.key === undefined) return;
  const lines = createInterface({
    input: await openObjectStream(s3, bucket, chunk.key),
    crlfDelay: Infinity,
  });
  let batch: string[] = [];
  let index = 0;
  let firstRow = 0;
  for await (const line of lines) {
    if (line === '') continue;
    batch.push(line);
    if (batch.length === size) {
      yield { chunk: chunk.chunk, batch: index++, firstRow, lines: batch };
      firstRow += batch.length;
      batch = [];
    }
  }
  if (batch.length > 0) yield { chunk: chunk.chunk, batch: index, firstRow, lines: batch };
}
