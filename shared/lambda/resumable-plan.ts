/**
 * Extractor plans that can resume a run. Every plan keeps its full chunk
 * list at `runs/<runId>/<nodeId>/chunk-plan.json`. A redrive (same run) or a rerun
 * of failed chunks (a new run, `run.resumeFrom` = the failed one) does not
 * plan the source again: it takes the source run's list and emits only the
 * chunks named in `runs/<runId>/resume.json`, so chunk indices (and the
 * deterministic keys derived from them) match the outputs being reused,
 * and an incremental extractor does not stage a new watermark.
 */
import { z } from 'zod';
import { getJson, putJson } from '../aws/s3-objects.ts';
import { type ChunkDescriptor, ChunkDescriptorSchema } from '../chunks/ref.ts';
import { InvalidEventError } from '../errors.ts';
import type { HandlerDeps } from './deps.ts';
import type { RunContext } from './events.ts';

export function planKey(runId: string, nodeId: string): string {
  return `runs/${runId}/${nodeId}/chunk-plan.json`;
}

export function resumeKey(runId: string): string {
  return `runs/${runId}/resume.json`;
}

/** Written by the execution service before a resumed run starts. */
export const ResumeFileSchema = z.strictObject({
  /** Per extractor, the chunks still to process; an extractor not listed plans afresh. */
  chunks: z.record(z.string(), z.array(z.int().min(0))),
});
export type ResumeFile = z.output<typeof ResumeFileSchema>;

const PlanFileSchema = z.array(ChunkDescriptorSchema);

async function readChecked<T extends z.ZodType>(
  deps: HandlerDeps,
  key: string,
  schema: T,
): Promise<z.output<T>> {
  const parsed = schema.safeParse(await getJson(deps.s3, deps.env.stagingBucket, key));
  if (!parsed.success) throw new InvalidEventError(`${key} is malformed: ${parsed.error.message}`);
  return parsed.data;
}

export interface ResumablePlan {
  /** The chunks to run now: all of a fresh plan, those left to do of a resumed one. */
  readonly chunks: ChunkDescriptor[];
  /** Chunks of the whole plan, which fixes the stage's `auto` shuffle modulus (plan-result.ts). */
  readonly plannedCount: number;
}

export async function planChunksResumably(
  deps: HandlerDeps,
  run: RunContext,
  nodeId: string,
  plan: () => Promise<ChunkDescriptor[]>,
): Promise<ResumablePlan> {
  const bucket = deps.env.stagingBucket;
  const resume =
    run.resumeFrom === undefined
      ? undefined
      : await readChecked(deps, resumeKey(run.runId), ResumeFileSchema);
  const wanted = resume?.chunks[nodeId];
  if (run.resumeFrom === undefined || wanted === undefined) {
    const planned = await plan();
    const chunks = run.sampleChunks === undefined ? planned : planned.slice(0, run.sampleChunks);
    await putJson(deps.s3, bucket, planKey(run.runId, nodeId), chunks);
    return { chunks, plannedCount: chunks.length };
  }
  const all = await readChecked(deps, planKey(run.resumeFrom, nodeId), PlanFileSchema);
  // The new run's own copy: a later redrive or rerun of it reads this one.
  if (run.resumeFrom !== run.runId) await putJson(deps.s3, bucket, planKey(run.runId, nodeId), all);
  const redo = new Set(wanted);
  return { chunks: all.filter((chunk) => redo.has(chunk.index)), plannedCount: all.length };
}
