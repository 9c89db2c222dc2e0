/**
 * A plan's chunk list goes into the state when short, and to S3 past the
 * inline limit, where a Distributed Map reads it with ItemReader: states
 * never carry a list that could approach the 256 KB payload limit.
 */

import { putJson } from '../aws/s3-objects.ts';
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
): Promise<PlanResult> {
  if (inlineChunkLimit === undefined || chunks.length <= inlineChunkLimit) {
    return { run, chunks, chunkCount: chunks.length };
  }
  const key = chunkListKey(run.runId, nodeId);
  await putJson(deps.s3, deps.env.stagingBucket, key, chunks);
  return {
    run,
    chunks: [],
    chunkCount: chunks.length,
    chunkList: {
      Bucket: deps.env.stagingBucket,
      Key: key,
      ResultsPrefix: `runs/${run.runId}/${nodeId}/map-results`,
    },
  };
}
