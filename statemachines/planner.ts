/**
 * Cuts a validated pipeline DAG into stages: one per extractor, each a tree of
 * chunk-local nodes that runs inside one Map iteration per chunk. Barrier
 * (multi-input) nodes are not supported yet, so every stage is a tree.
 */

import { reachableFrom } from '../shared/spec/graph.ts';
import type { Pipeline, PipelineNode } from '../shared/spec/schema.ts';
import { TranslationError } from './errors.ts';

/** A chunk-local node and the nodes fed by it, in edge order. */
export interface ChainNode {
  readonly node: PipelineNode;
  readonly children: readonly ChainNode[];
}

export interface StagePlan {
  readonly extractorId: string;
  readonly root: ChainNode;
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
export function findPlanProblems(pipeline: Pipeline): string[] {
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
    } else if (nodeInputs.length > 1) {
      problems.push(
        `barrier/multi-input nodes are not supported yet: node ${node.id} has inputs ${nodeInputs.join(', ')}`,
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

/** One stage per extractor, in pipeline node order. Throws a `TranslationError` listing every problem. */
export function planStages(pipeline: Pipeline): StagePlan[] {
  const problems = findPlanProblems(pipeline);
  if (problems.length > 0) {
    throw new TranslationError(problems);
  }
  const byId = new Map(pipeline.nodes.map((node) => [node.id, node]));
  const { outputs } = adjacency(pipeline);

  // Every node has at most one input and extractors none, so the stages are
  // disjoint trees; `visited` only guards against a graph that slipped past
  // the checks above.
  const visited = new Set<string>();
  const chain = (node: PipelineNode): ChainNode => {
    visited.add(node.id);
    const children = (outputs.get(node.id) ?? []).flatMap((id) => {
      const child = byId.get(id);
      return child === undefined || visited.has(id) ? [] : [chain(child)];
    });
    return { node, children };
  };
  return pipeline.nodes
    .filter((node) => node.type === 'extractor')
    .map((extractor) => ({ extractorId: extractor.id, root: chain(extractor) }));
}
