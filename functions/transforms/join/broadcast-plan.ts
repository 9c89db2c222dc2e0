/**
 * The join's plan: once both inputs are shuffled, their sizes are known, so
 * the join picks its strategy at run time. Broadcast: one task per upstream
 * chunk of the stream input, each joined against the whole broadcast input,
 * so no task gathers stream rows from several chunks. Shuffle: one task per
 * hash bucket, as every barrier.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { z } from 'zod';
import { putJson } from '../../../shared/aws/s3-objects.ts';
import type { ChunkDescriptor } from '../../../shared/chunks/ref.ts';
import { broadcastPlanKey, type ShuffleFile } from '../../../shared/chunks/shuffle.ts';
import type { HandlerDeps } from '../../../shared/lambda/deps.ts';
import type { BarrierPlanEvent, PlanResult } from '../../../shared/lambda/events.ts';
import { planResult } from '../../../shared/lambda/plan-result.ts';
import {
  listShuffleFiles,
  planReduceBuckets,
  type SizedShuffleFile,
} from '../../../shared/lambda/reduce-plan.ts';
import type { JoinConfig } from './module.ts';
import { type BroadcastSides, broadcastHardMaxBytes, chooseBroadcast } from './strategy.ts';

/**
 * A broadcast task names its chunk's shuffle files, up to one per bucket, so
 * its descriptor grows with the modulus its chunk was shuffled with. A list
 * past this size goes to S3 (the Distributed Map reads it there) whatever
 * its length, keeping the state far from the 256 KB payload limit.
 */
const INLINE_TASK_LIST_BYTES = 64 * 1024;

/** A broadcast task's descriptor: which stream chunk, and its shuffle files as `[modulus, bucket, part]`. */
export const BroadcastTaskSchema = z.object({
  index: z.int().min(0),
  broadcast: z.strictObject({
    chunk: z.int().min(0),
    files: z.array(z.tuple([z.int().min(1), z.int().min(0), z.int().min(0)])),
  }),
});
export type BroadcastTask = z.output<typeof BroadcastTaskSchema>;

/**
 * What the plan leaves for the settle step: the strategy, and for a broadcast
 * which input was broadcast over how many tasks. Written whichever it chose,
 * so a re-run plan (a redrive) always overwrites an earlier attempt's record.
 */
export const JoinPlanRecordSchema = z.discriminatedUnion('strategy', [
  z.strictObject({ strategy: z.literal('shuffle') }),
  z.strictObject({
    strategy: z.literal('broadcast'),
    broadcast: z.int().min(0),
    stream: z.int().min(0),
    tasks: z.int().min(0),
  }),
]);
export type JoinPlanRecord = z.output<typeof JoinPlanRecordSchema>;

export function isBroadcastTask(chunk: ChunkDescriptor): chunk is BroadcastTask {
  return BroadcastTaskSchema.safeParse(chunk).success;
}

function sizesOf(files: readonly SizedShuffleFile[], inputs: number) {
  const bytes = Array.from({ length: inputs }, () => 0);
  for (const file of files) bytes[file.input] = (bytes[file.input] ?? 0) + file.size;
  const hasRows = bytes.map((_, input) => files.some((file) => file.input === input));
  return { bytes, hasRows };
}

/** One task per stream chunk that wrote rows, in chunk order. */
function broadcastTasks(files: readonly ShuffleFile[], sides: BroadcastSides): BroadcastTask[] {
  const byChunk = new Map<number, [number, number, number][]>();
  for (const file of files.filter((candidate) => candidate.input === sides.stream)) {
    byChunk.set(file.chunk, [...(byChunk.get(file.chunk) ?? []), [file.modulus, file.bucket, file.part]]);
  }
  return [...byChunk.entries()]
    .sort(([a], [b]) => a - b)
    .map(([chunk, chunkFiles], index) => ({ index, broadcast: { chunk, files: chunkFiles } }));
}

/**
 * `broadcastMaxBytes` absent means the translator gave this join no settle
 * step (strategy shuffle, or a full join), so it must shuffle.
 */
export async function planJoin(
  deps: HandlerDeps,
  logger: Pick<Logger, 'warn'>,
  config: JoinConfig,
  event: BarrierPlanEvent,
): Promise<PlanResult> {
  const { run, node } = event;
  const files = await listShuffleFiles(deps, run.runId, node.id);
  const { sides, overridden } =
    event.broadcastMaxBytes === undefined
      ? {}
      : chooseBroadcast(config, sizesOf(files, event.inputs), {
          maxBytes: event.broadcastMaxBytes,
          hardMaxBytes: broadcastHardMaxBytes(),
        });
  if (overridden !== undefined) logger.warn(`join ${node.id}: ${overridden}`, { runId: run.runId });
  if (sides === undefined) return bucketPlan(deps, event, files);
  const tasks = broadcastTasks(files, sides);
  const fitsInline = Buffer.byteLength(JSON.stringify(tasks)) <= INLINE_TASK_LIST_BYTES;
  // Without a Distributed Map (`distributed.mode: inline`) a long list has nowhere to go: shuffle.
  if (!fitsInline && event.inlineChunkLimit === undefined) return bucketPlan(deps, event, files);
  await recordPlan(deps, event, { strategy: 'broadcast', ...sides, tasks: tasks.length });
  return planResult(deps, run, node.id, tasks, fitsInline ? event.inlineChunkLimit : 0);
}

/** Only a join with a settle step (`broadcastMaxBytes` set) has anyone to read the record. */
async function recordPlan(deps: HandlerDeps, event: BarrierPlanEvent, record: JoinPlanRecord): Promise<void> {
  if (event.broadcastMaxBytes === undefined) return;
  const key = broadcastPlanKey(event.run.runId, event.node.id);
  await putJson(deps.s3, deps.env.stagingBucket, key, record);
}

async function bucketPlan(
  deps: HandlerDeps,
  event: BarrierPlanEvent,
  files: readonly SizedShuffleFile[],
): Promise<PlanResult> {
  await recordPlan(deps, event, { strategy: 'shuffle' });
  return planReduceBuckets(deps, event, files);
}
