/**
 * A rerun of failed chunks starts with the failed run's completed chunks
 * copied into its own prefix: every output, rejects and quality file,
 * staged load and shuffle file of those chunks, and their counters. The new
 * run then processes only the other chunks, and its barriers and commits
 * see reused and new chunks alike under one run id, so every row is
 * committed once. Copies keep the deterministic keys (only the run id
 * changes), so repeating the preparation overwrites, never duplicates.
 */
import { copyObject, listObjects } from '../aws/s3-objects.ts';
import { chunkOfShuffleFile, shuffleInputPrefix } from '../chunks/shuffle.ts';
import type { HandlerDeps } from '../lambda/deps.ts';
import type { StageCompletion } from './chunk-completion.ts';
import { RerunNotPossibleError } from './errors.ts';

/** Files a chunk owns under `runs/<runId>/<nodeId>/`, with the chunk's index in the first group. */
const CHUNK_FILES = [
  /^part-(\d+)\.parquet$/,
  /^rejects\/part-(\d+)\.parquet$/,
  /^quality\/part-(\d+)\.json$/,
  /^staged\/chunk-(\d+)\/.+$/,
];
const COPY_CONCURRENCY = 8;

function isPlanSideFile(relative: string): boolean {
  return !relative.includes('/') && relative.endsWith('.json') && relative !== 'chunks.json';
}

function chunkOf(relativeKey: string, patterns: readonly RegExp[]): number | undefined {
  for (const pattern of patterns) {
    const match = pattern.exec(relativeKey);
    if (match?.[1] !== undefined) return Number(match[1]);
  }
  return undefined;
}

async function copyAll(deps: HandlerDeps, pairs: readonly { from: string; to: string }[]): Promise<void> {
  const bucket = deps.env.stagingBucket;
  for (let start = 0; start < pairs.length; start += COPY_CONCURRENCY) {
    await Promise.all(
      pairs
        .slice(start, start + COPY_CONCURRENCY)
        .map(({ from, to }) => copyObject(deps.s3, { bucket, key: from }, { bucket, key: to })),
    );
  }
}

/** Copies what the chunks listed as complete produced under `fromRunId` to `toRunId`; returns the files copied. */
export async function reuseCompletedChunks(
  deps: HandlerDeps,
  fromRunId: string,
  toRunId: string,
  completions: readonly StageCompletion[],
): Promise<number> {
  const pairs: { from: string; to: string }[] = [];
  const rename = (key: string) => `runs/${toRunId}/${key.slice(`runs/${fromRunId}/`.length)}`;
  const metrics = await deps.store.getChunkMetrics(fromRunId);
  for (const { stage, complete } of completions) {
    const reused = new Set(complete);
    // No early exit when nothing is reused: the new run's extractor still reads the plan's side
    // files (below) for the chunks it redoes, and failed with NoSuchKey without them.
    for (const node of stage.nodes) {
      const prefix = `runs/${fromRunId}/${node.id}/`;
      for (const object of await listObjects(deps.s3, deps.env.stagingBucket, prefix)) {
        const relative = object.key.slice(prefix.length);
        const index = chunkOf(relative, CHUNK_FILES);
        if (index !== undefined && reused.has(index))
          pairs.push({ from: object.key, to: rename(object.key) });
        // What the extractor's plan wrote for its chunks to read (the inferred source schema):
        // the new run extracts without planning. Not `chunks.json`, the old Map's item list.
        if (node.id === stage.extractorId && isPlanSideFile(relative)) {
          pairs.push({ from: object.key, to: rename(object.key) });
        }
      }
      for (const item of metrics) {
        if (item.nodeId !== node.id || !reused.has(item.chunkIndex)) continue;
        const { nodeId: _nodeId, ...counters } = item;
        await deps.store.recordChunk(toRunId, node.id, counters);
      }
    }
    for (const { barrier, input } of stage.shuffles) {
      const prefix = shuffleInputPrefix(fromRunId, barrier.id, input);
      for (const object of await listObjects(deps.s3, deps.env.stagingBucket, prefix)) {
        const relative = object.key.slice(prefix.length);
        // The input's schema file lets the barrier read a bucket no new chunk wrote to.
        if (relative === 'schema.parquet') {
          pairs.push({ from: object.key, to: rename(object.key) });
          continue;
        }
        const index = chunkOfShuffleFile(relative);
        // Skipping a file it cannot place would reuse its chunk without the chunk's rows.
        if (index === undefined) {
          throw new RerunNotPossibleError(
            `cannot rerun the failed chunks of run ${fromRunId}: ${object.key} is not a shuffle file this version reads (shuffled by an older version?); start a new run`,
          );
        }
        if (reused.has(index)) pairs.push({ from: object.key, to: rename(object.key) });
      }
    }
  }
  await copyAll(deps, pairs);
  return pairs.length;
}
