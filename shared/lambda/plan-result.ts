/**
 * A plan's chunk list goes into the state when short, and to S3 past the
 * inline limit, where a Distributed Map reads it with ItemReader: states
 * never carry a list that could approach the 256 KB payload limit.
 *
 * Every plan also sets `run.shuffleBuckets`, the modulus the stage's chunks
 * shuffle with under `execution.shuffle_buckets: auto`.
 */

import { z } from 'zod';
import { getJson, putJson } from '../aws/s3-objects.ts';
import { autoShuffleModulus } from '../chunks/reduce-buckets.ts';
import type { ChunkDescriptor } from '../chunks/ref.ts';
import { SourceNotFoundError } from '../errors.ts';
import type { HandlerDeps } from './deps.ts';
import type { PlanResult, RunContext } from './events.ts';
import { planKey } from './resumable-plan.ts';

export function chunkListKey(runId: string, nodeId: string): string {
  return `runs/${runId}/${nodeId}/chunks.json`;
}

/**
 * The chunks of the stage's whole plan. A resumed extractor plan (redrive or
 * rerun) emits only the chunks left to do, but its shuffles must use the
 * modulus the first attempt used: a chunk half-shuffled then would otherwise
 * leave files under another modulus beside its new ones, and its rows would
 * be reduced twice. Its full list is at `planKey` (resumable-plan.ts); a
 * barrier's plan has none and lists all its buckets again anyway.
 */
async function plannedChunkCount(
  deps: HandlerDeps,
  run: RunContext,
  nodeId: string,
  emitted: number,
): Promise<number> {
  if (run.resumeFrom === undefined) return emitted;
  const plan = await getJson(deps.s3, deps.env.stagingBucket, planKey(run.runId, nodeId)).catch(
    (error: unknown) => {
      if (error instanceof SourceNotFoundError) return undefined;
      throw error;
    },
  );
  const parsed = z.array(z.unknown()).safeParse(plan);
  return parsed.success ? Math.max(parsed.data.length, emitted) : emitted;
}

export async function planResult(
  deps: HandlerDeps,
  run: RunContext,
  nodeId: string,
  chunks: ChunkDescriptor[],
  inlineChunkLimit: number | undefined,
): Promise<PlanResult> {
  const planned = await plannedChunkCount(deps, run, nodeId, chunks.length);
  const stageRun: RunContext = { ...run, shuffleBuckets: autoShuffleModulus(planned) };
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
