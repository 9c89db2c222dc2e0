/**
 * A barrier's bucket plan: from the shuffle files every input wrote, the
 * reduce modulus and one reduce task per bucket that may hold rows
 * (shared/chunks/reduce-buckets.ts has the arithmetic).
 */
import { z } from 'zod';
import { getJson, listObjects, putJson } from '../aws/s3-objects.ts';
import { chooseReduceModulus, reduceBuckets } from '../chunks/reduce-buckets.ts';
import { reduceModulusKey, type ShuffleFile, shuffleFilesAmong, shufflePrefix } from '../chunks/shuffle.ts';
import { SourceNotFoundError } from '../errors.ts';
import type { HandlerDeps } from './deps.ts';
import type { BarrierPlanEvent, PlanResult } from './events.ts';
import { planResult } from './plan-result.ts';

export type SizedShuffleFile = ShuffleFile & { readonly size: number };

/** Every shuffle file of every input of the barrier, with its size. */
export async function listShuffleFiles(
  deps: HandlerDeps,
  runId: string,
  barrierId: string,
): Promise<SizedShuffleFile[]> {
  const objects = await listObjects(deps.s3, deps.env.stagingBucket, shufflePrefix(runId, barrierId));
  return shuffleFilesAmong(objects, runId, barrierId);
}

const ReduceModulusRecordSchema = z.object({ modulus: z.int().min(1) });

/** The modulus an earlier attempt of this run's plan recorded, if any. */
async function recordedModulus(deps: HandlerDeps, key: string): Promise<number | undefined> {
  const recorded = await getJson(deps.s3, deps.env.stagingBucket, key).catch((error: unknown) => {
    if (error instanceof SourceNotFoundError) return undefined;
    throw error;
  });
  const parsed = ReduceModulusRecordSchema.safeParse(recorded);
  return parsed.success ? parsed.data.modulus : undefined;
}

/**
 * `auto` sizes the modulus from the files' bytes, which a redone shuffle may
 * change slightly: a redrive (same run, earlier outputs kept) reuses the
 * first attempt's choice, so it plans, and overwrites, the same buckets.
 */
async function reduceModulus(
  deps: HandlerDeps,
  event: BarrierPlanEvent,
  files: readonly SizedShuffleFile[],
): Promise<number> {
  const moduli = [...new Set(files.map((file) => file.modulus))];
  const choose = (setting: 'auto' | number) =>
    chooseReduceModulus({
      setting,
      moduli,
      shuffledBytes: files.reduce((sum, file) => sum + file.size, 0),
      chunkSizeBytes: event.chunkSizeBytes,
    });
  if (event.shuffleBuckets !== 'auto') return choose(event.shuffleBuckets);
  const key = reduceModulusKey(event.run.runId, event.node.id);
  const recorded = await recordedModulus(deps, key);
  // Re-checked as a fixed setting: still exact should an input's files have changed modulus.
  if (recorded !== undefined) return choose(recorded);
  const modulus = choose('auto');
  await putJson(deps.s3, deps.env.stagingBucket, key, { modulus });
  return modulus;
}

/** One reduce task per bucket of the chosen modulus that may hold rows of some input. */
export async function planReduceBuckets(
  deps: HandlerDeps,
  event: BarrierPlanEvent,
  files: readonly SizedShuffleFile[],
): Promise<PlanResult> {
  const modulus = await reduceModulus(deps, event, files);
  const buckets = reduceBuckets(files, event.inputs, modulus);
  return planResult(deps, event.run, event.node.id, buckets, event.inlineChunkLimit);
}
