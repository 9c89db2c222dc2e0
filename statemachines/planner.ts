/**
 * Cuts a validated pipeline DAG into stages, like Spark's DAG scheduler. A
 * stage starts at a source (an extractor, or a barrier such as a global
 * dedup) and runs a tree of chunk-local nodes once per chunk; an edge into a
 * barrier ends its branch with a shuffle. Stages run in levels: a barrier's
 * stage starts once every stage feeding it has finished.
 */
import { registry as defaultRegistry, type ModuleRegistry } from '../shared/modules/registry.ts';
import { runsAsBarrier } from '../shared/modules/types.ts';
import { reachableFrom } from '../shared/spec/graph.ts';
import type { Pipeline, PipelineNode } from '../shared/spec/schema.ts';
import { TranslationError } from './errors.ts';

/** An edge into a barrier: the branch's chunks are shuffled into its buckets. */
export interface ShuffleTarget {
  readonly barrier: PipelineNode;
  /** Which input of the barrier (edge order among the edges into it). */
  readonly input: number;
}

/** A node, the chunk-local nodes fed by it (edge order), and the barriers it feeds. */
export interface ChainNode {
  readonly node: PipelineNode;
  readonly children: readonly ChainNode[];
  readonly shuffles: readonly ShuffleTarget[];
}

export interface StagePlan {
  /** The extractor or barrier whose chunks the stage processes. */
  readonly sourceId: string;
  readonly source: 'extractor' | 'barrier';
  readonly root: ChainNode;
  /** 0 for extractors; one more than the deepest stage feeding a barrier. */
  readonly level: number;
  /** Inputs of a barrier source (1 for extractors). */
  readonly inputs: number;
}

interface Adjacency {
  readonly inputs: ReadonlyMap<string, readonly string[]>;
  readonly outputs: ReadonlyMap<string, readonly string[]>;
}

function adjacency(pipeline: Pipeline): Adjacency {
  const inputs = new Map<string, string[]>();
  const outputs = new Map<string, string[]>();
  for (const { source, target } of pipeline.edges) {
    outputs.set(source, [...(outputs.get(source) ?? []), target]);
    inputs.set(target, [...(inputs.get(target) ?? []), source]);
  }
  return { inputs, outputs };
}

/**
 * Everything that stops the planner, all at once. Validation already rejects
 * most of these; they are re-checked because a wrong graph here would loop
 * forever or emit a state machine that fails at run time.
 */
export function findPlanProblems(pipeline: Pipeline, modules: ModuleRegistry = defaultRegistry): string[] {
  const problems: string[] = [];
  const ids = new Set(pipeline.nodes.map((node) => node.id));
  const { inputs, outputs } = adjacency(pipeline);

  const seen = new Set<string>();
  for (const { id } of pipeline.nodes) {
    if (seen.has(id)) {
      problems.push(`duplicate node id ${id}`);
    }
    seen.add(id);
  }
  for (const { source, target } of pipeline.edges) {
    for (const end of [source, target]) {
      if (!ids.has(end)) {
        problems.push(`edge ${source} -> ${target} references unknown node ${end}`);
      }
    }
  }
  for (const node of pipeline.nodes) {
    const nodeInputs = inputs.get(node.id) ?? [];
    if (node.type === 'extractor' && nodeInputs.length > 0) {
      problems.push(`extractor ${node.id} has inputs ${nodeInputs.join(', ')}`);
    } else if (nodeInputs.length > 1 && !isBarrier(node, modules)) {
      problems.push(
        `only barrier modules take several inputs: node ${node.id} (${node.module}) has inputs ${nodeInputs.join(', ')}`,
      );
    }
    if (node.type === 'loader' && (outputs.get(node.id)?.length ?? 0) > 0) {
      problems.push(`loader ${node.id} has outputs ${outputs.get(node.id)?.join(', ')}`);
    }
  }
  if (!pipeline.nodes.some((node) => node.type === 'extractor')) {
    problems.push('pipeline has no extractor');
  }
  // A node left out of every stage would silently never run.
  const extractors = pipeline.nodes.filter((node) => node.type === 'extractor').map((node) => node.id);
  const reached = reachableFrom(extractors, pipeline.edges);
  for (const node of pipeline.nodes) {
    if (!reached.has(node.id)) {
      problems.push(`node ${node.id} is not reachable from any extractor`);
    }
  }
  return problems;
}

function isBarrier(node: PipelineNode, modules: ModuleRegistry): boolean {
  const module = modules.get(node.module);
  return module !== undefined && runsAsBarrier(module, node.config);
}

/** Stages in running order (by level, then node order). Throws a `TranslationError` listing every problem. */
export function planStages(pipeline: Pipeline, modules: ModuleRegistry = defaultRegistry): StagePlan[] {
  const problems = findPlanProblems(pipeline, modules);
  if (problems.length > 0) {
    throw new TranslationError(problems);
  }
  const byId = new Map(pipeline.nodes.map((node) => [node.id, node]));
  const { outputs } = adjacency(pipeline);
  const barrier = (node: PipelineNode) => isBarrier(node, modules);
  const inputIndex = (from: string, to: string) =>
    pipeline.edges.filter((edge) => edge.target === to).findIndex((edge) => edge.source === from);

  // Every chunk-local node has one input, so each belongs to exactly one
  // stage's tree; `visited` only guards against a graph that slipped past the checks.
  const visited = new Set<string>();
  const stageOf = new Map<string, string>();
  const chain = (node: PipelineNode, sourceId: string): ChainNode => {
    visited.add(node.id);
    stageOf.set(node.id, sourceId);
    const targets = (outputs.get(node.id) ?? []).flatMap((id) => byId.get(id) ?? []);
    const children = targets
      .filter((child) => !barrier(child) && !visited.has(child.id))
      .map((child) => chain(child, sourceId));
    const shuffles = targets
      .filter((target) => barrier(target))
      .map((target) => ({ barrier: target, input: inputIndex(node.id, target.id) }));
    return { node, children, shuffles };
  };
  const sources = pipeline.nodes.filter((node) => node.type === 'extractor' || barrier(node));
  const roots = new Map(sources.map((source) => [source.id, chain(source, source.id)]));

  const levels = new Map<string, number>();
  const levelOf = (sourceId: string): number => {
    const known = levels.get(sourceId);
    if (known !== undefined) return known;
    const feeding = pipeline.edges
      .filter((edge) => edge.target === sourceId)
      .map((edge) => stageOf.get(edge.source))
      .filter((id): id is string => id !== undefined);
    const level = feeding.length === 0 ? 0 : 1 + Math.max(...feeding.map(levelOf));
    levels.set(sourceId, level);
    return level;
  };
  const stages = sources.map((source): StagePlan => {
    const isExtractor = source.type === 'extractor';
    return {
      sourceId: source.id,
      source: isExtractor ? 'extractor' : 'barrier',
      root: roots.get(source.id) as ChainNode,
      level: levelOf(source.id),
      inputs: isExtractor ? 1 : pipeline.edges.filter((edge) => edge.target === source.id).length,
    };
  });
  // A stable sort keeps node order within a level.
  return stages.sort((a, b) => a.level - b.level);
}

/** Stages grouped by level: each group can run side by side. */
export function stageLevels(stages: readonly StagePlan[]): StagePlan[][] {
  const levels: StagePlan[][] = [];
  for (const stage of stages) {
    const level = levels[stage.level] ?? [];
    level.push(stage);
    levels[stage.level] = level;
  }
  return levels.filter((level) => level.length > 0);
}
