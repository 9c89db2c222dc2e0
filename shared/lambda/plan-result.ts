/**
 * A plan's chunk list goes into the state when short, and to S3 past the
 * inline limit, where a Distributed Map reads it with ItemReader: states
 * never carry a list that could approach the 256 KB payload limit.
 *
 * Every plan also sets `run.shuffleBuckets`, the modulus the stage's chunks
 * shuffle with under `execution.shuffle_buckets: auto`.
 */

import { putJson } from '../aws/s3-objects.ts';
import { autoShuffleModulus } from '../chunks/reduce-buckets.ts';
import type { ChunkDescriptor } from '../chunks/ref.ts';
import type { HandlerDeps } from './deps.ts';
import type { PlanResult, RunContext } from './events.ts';

export function chunkListKey(runId: string, nodeId: string): string {
  return `runs/${runId}/${nodeId}/chunks.json`;
}

export async function planResult(
  deps: HandlerDeps,
  run: RunContext,
  nodeId: string,
  chunks: ChunkDescriptor[],
  inlineChunkLimit: number | undefined,
  plannedChunkCount: number = chunks.length,
): Promise<PlanResult> {
  // A resumed extractor plan (redrive or rerun) emits only the chunks left to do, yet they
  // must shuffle with the modulus of the whole plan, the one the reused chunks' files were
  // written with: else a bucket's rows would sit under two moduli and be reduced twice.
  const stageRun: RunContext = { ...run, shuffleBuckets: autoShuffleModulus(plannedChunkCount) };
  if (inlineChunkLimit === undefined || chunks.length <= inlineChunkLimit) {
    return { run: stageRun, chunks, chunkCount: chunks.length };
  }
  const key = chunkListKey(run.runId, nodeId);
  await putJson(deps.s3, deps.env.stagingBucket, key, chunks);
  return {
    run: stageRun,
    chunks: [],
    chunkCount: chunks.length,
    chunkList: {
      Bucket: deps.env.stagingBucket,
      Key: key,
      ResultsPrefix: `runs/${run.runId}/${nodeId}/map-results`,
    },
  };
}
