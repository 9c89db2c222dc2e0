/**
 * Operator fusion in the ASL: a stage's whole per-chunk work (extract or
 * reduce, its chunk-local nodes, loaders and shuffles) becomes ONE Task per
 * chunk, invoking the `fused-chain` function with the stage's node tree.
 * Intermediate outputs then stay in the worker's DuckDB instead of going
 * through S3 as Parquet, and a chunk costs one invocation, not one per node.
 */
import type { ExecutionSettings } from '../shared/spec/schema.ts';
import type { JsonObject, StateGraph } from './asl-types.ts';
import { FUSED_CHAIN, type FunctionArnResolver } from './function-names.ts';
import type { NodeRefTemplate } from './payloads.ts';
import type { ChainNode, StagePlan } from './planner.ts';
import { chainStateName } from './state-names.ts';
import { END, lambdaTask } from './states.ts';

export interface FusedChainContext {
  readonly execution: ExecutionSettings;
  readonly resolveFunctionArn: FunctionArnResolver;
  readonly nodeRef: (nodeId: string) => NodeRefTemplate;
}

/** -> `ChainEvent` of shared/lambda/chain-events.ts. */
function chainPayload(ctx: FusedChainContext, plan: StagePlan): JsonObject {
  const source: JsonObject =
    plan.source === 'extractor' ? { kind: 'extract' } : { kind: 'reduce', inputs: plan.inputs };
  return { action: 'chain', 'run.$': '$.run', 'chunk.$': '$.chunk', source, root: chainTree(ctx, plan.root) };
}

function chainTree(ctx: FusedChainContext, chain: ChainNode): JsonObject {
  return {
    node: { ...ctx.nodeRef(chain.node.id) },
    children: chain.children.map((child) => chainTree(ctx, child)),
    shuffles: chain.shuffles.map((target) => ({
      node: { ...ctx.nodeRef(target.barrier.id) },
      input: target.input,
      buckets: ctx.execution.shuffle_buckets,
    })),
  };
}

/** The item processor of a fused stage: one Task, `Chain <source>` (+ `suffix` in a Distributed copy). */
export function fusedStageGraph(ctx: FusedChainContext, plan: StagePlan, suffix: string): StateGraph {
  const name = `${chainStateName(plan.sourceId)}${suffix}`;
  return {
    StartAt: name,
    States: {
      [name]: lambdaTask({
        functionArn: ctx.resolveFunctionArn(FUSED_CHAIN),
        payload: chainPayload(ctx, plan),
        execution: ctx.execution,
        result: 'output',
        catchFailures: false,
        transition: END,
      }),
    },
  };
}
