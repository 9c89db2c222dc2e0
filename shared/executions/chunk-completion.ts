/**
 * Which chunks of each extractor stage a run completed. A chunk is complete
 * when every node of its stage's chunk-local tree recorded counters for it
 * (nodes record counters only after their output, or staged load, is
 * written); a chunk missing any of them, because it failed or because the
 * Map stopped before it, is done again. A stage that shuffles into a barrier
 * counts its chunks complete only once that barrier started its reduce.
 */
import { type ChainNode, planStages, type ShuffleTarget } from '../../statemachines/planner.ts';
import { getJson } from '../aws/s3-objects.ts';
import { ChunkDescriptorSchema } from '../chunks/ref.ts';
import { SourceNotFoundError } from '../errors.ts';
import type { HandlerDeps } from '../lambda/deps.ts';
import { planKey } from '../lambda/resumable-plan.ts';
import type { Pipeline, PipelineNode } from '../spec/schema.ts';

export interface ExtractorStage {
  readonly extractorId: string;
  /** The extractor and every chunk-local node fed by it, extractor first. */
  readonly nodes: readonly PipelineNode[];
  /** Barrier inputs this stage's chunks are shuffled into. */
  readonly shuffles: readonly ShuffleTarget[];
}

export interface StageCompletion {
  readonly stage: ExtractorStage;
  /** Undefined when the run never planned this extractor: its next attempt plans afresh. */
  readonly planned?: readonly number[];
  readonly complete: readonly number[];
  readonly incomplete: readonly number[];
}

function flatten(chain: ChainNode): { nodes: PipelineNode[]; shuffles: ShuffleTarget[] } {
  const nodes = [chain.node];
  const shuffles = [...chain.shuffles];
  for (const child of chain.children) {
    const below = flatten(child);
    nodes.push(...below.nodes);
    shuffles.push(...below.shuffles);
  }
  return { nodes, shuffles };
}

export function extractorStages(pipeline: Pipeline): ExtractorStage[] {
  return planStages(pipeline)
    .filter((stage) => stage.source === 'extractor')
    .map((stage) => ({ extractorId: stage.sourceId, ...flatten(stage.root) }));
}

async function plannedIndices(
  deps: HandlerDeps,
  runId: string,
  nodeId: string,
): Promise<number[] | undefined> {
  const document = await getJson(deps.s3, deps.env.stagingBucket, planKey(runId, nodeId)).catch(
    (error: unknown) => {
      if (error instanceof SourceNotFoundError) return undefined;
      throw error;
    },
  );
  if (document === undefined) return undefined;
  const parsed = ChunkDescriptorSchema.array().safeParse(document);
  if (!parsed.success) throw new Error(`${planKey(runId, nodeId)} is malformed: ${parsed.error.message}`);
  return parsed.data.map((chunk) => chunk.index);
}

export async function stageCompletion(
  deps: HandlerDeps,
  runId: string,
  pipeline: Pipeline,
): Promise<StageCompletion[]> {
  const done = new Map<string, Set<number>>();
  for (const item of await deps.store.getChunkMetrics(runId)) {
    const indices = done.get(item.nodeId) ?? new Set<number>();
    indices.add(item.chunkIndex);
    done.set(item.nodeId, indices);
  }
  const completions: StageCompletion[] = [];
  for (const stage of extractorStages(pipeline)) {
    const planned = await plannedIndices(deps, runId, stage.extractorId);
    // A chunk's shuffle into a barrier records no counters (and may die after its nodes recorded
    // theirs, with part of its bucket files written): only a barrier that started its reduce, so
    // recorded counters, proves every chunk of the stage shuffled into it completely.
    const shuffled = stage.shuffles.every(({ barrier }) => done.has(barrier.id));
    const isComplete = (index: number) =>
      shuffled && stage.nodes.every((node) => done.get(node.id)?.has(index) ?? false);
    completions.push({
      stage,
      ...(planned === undefined ? {} : { planned }),
      complete: (planned ?? []).filter(isComplete),
      incomplete: (planned ?? []).filter((index) => !isComplete(index)),
    });
  }
  return completions;
}
