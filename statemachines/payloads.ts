/**
 * The `Payload` templates of each Lambda Task. Evaluated by Step Functions,
 * each yields exactly one event shape of `shared/lambda/events.ts` (named on
 * each builder); handlers parse them with those schemas.
 */
import type { ShuffleBucketsSetting } from '../shared/chunks/reduce-buckets.ts';
import type { Pipeline } from '../shared/spec/schema.ts';
import type { JsonObject } from './asl-types.ts';
import { pipelineIdOf } from './pipeline-id.ts';

/**
 * A node as embedded in the ASL: `NodeRef` of events.ts. The config is a JSON
 * string (see `NodeConfigJsonSchema` there for why it is not an object).
 */
export type NodeRefTemplate = {
  readonly id: string;
  readonly module: string;
  readonly config: string;
};

const RUN = { 'run.$': '$.run' } as const;

/** -> `InitEvent`: the whole execution input becomes `input`. */
export function initPayload(pipeline: Pipeline): JsonObject {
  const parameters: JsonObject = {};
  for (const [name, parameter] of Object.entries(pipeline.parameters)) {
    if (parameter.default !== undefined) {
      parameters[name] = parameter.default;
    }
  }
  return {
    pipeline: {
      id: pipelineIdOf(pipeline),
      name: pipeline.name,
      nodes: pipeline.nodes.map((node) => ({ id: node.id, module: node.module })),
      parameters,
    },
    'input.$': '$',
  };
}

/** -> `PlanEvent`. */
export function planPayload(
  node: NodeRefTemplate,
  sizing: { readonly chunkSizeBytes: number; readonly workers: number },
  inlineChunkLimit?: number,
): JsonObject {
  return {
    action: 'plan',
    ...RUN,
    node,
    chunkSizeBytes: sizing.chunkSizeBytes,
    workers: sizing.workers,
    ...(inlineChunkLimit === undefined ? {} : { inlineChunkLimit }),
  };
}

/** -> `ExtractEvent`: `chunk` is a descriptor from the plan. */
export function extractPayload(node: NodeRefTemplate): JsonObject {
  return { action: 'extract', ...RUN, node, 'chunk.$': '$.chunk' };
}

/** -> `TransformEvent`: transformers take no `action`, they do one thing. */
export function transformPayload(node: NodeRefTemplate): JsonObject {
  return { ...RUN, node, 'chunk.$': '$.chunk' };
}

/** -> `LoadEvent`. */
export function loadPayload(node: NodeRefTemplate): JsonObject {
  return { action: 'load', ...RUN, node, 'chunk.$': '$.chunk' };
}

/** -> `CommitEvent`. */
export function commitPayload(node: NodeRefTemplate, maxRejectRatio: number): JsonObject {
  return { action: 'commit', ...RUN, node, maxRejectRatio };
}

/**
 * -> `ShuffleEvent`: the barrier's node, fed one upstream chunk. `auto`
 * buckets stay `auto` here: the shuffle takes the stage's modulus from
 * `run.shuffleBuckets`, which its plan set and every task passes on.
 */
export function shufflePayload(
  barrier: NodeRefTemplate,
  input: number,
  buckets: ShuffleBucketsSetting,
): JsonObject {
  return { action: 'shuffle', ...RUN, node: barrier, 'chunk.$': '$.chunk', input, buckets };
}

/**
 * -> `BarrierPlanEvent`: lists the buckets the shuffles filled, or for a join
 * that may broadcast (`broadcastMaxBytes` set) its broadcast tasks.
 */
export function barrierPlanPayload(
  barrier: NodeRefTemplate,
  inputs: number,
  buckets: { readonly shuffleBuckets: ShuffleBucketsSetting; readonly chunkSizeBytes: number },
  inlineChunkLimit?: number,
  broadcastMaxBytes?: number,
): JsonObject {
  return {
    action: 'plan',
    ...RUN,
    node: barrier,
    inputs,
    shuffleBuckets: buckets.shuffleBuckets,
    chunkSizeBytes: buckets.chunkSizeBytes,
    ...(inlineChunkLimit === undefined ? {} : { inlineChunkLimit }),
    ...(broadcastMaxBytes === undefined ? {} : { broadcastMaxBytes }),
  };
}

/** -> `JoinSettleEvent` of functions/transforms/join/settle.ts. */
export function settlePayload(join: NodeRefTemplate): JsonObject {
  return { action: 'settle', ...RUN, node: join };
}

/** -> `ReduceEvent`: `chunk` is a bucket descriptor from the barrier's plan. */
export function reducePayload(barrier: NodeRefTemplate, inputs: number): JsonObject {
  return { action: 'reduce', ...RUN, node: barrier, 'chunk.$': '$.chunk', inputs };
}

/** -> `FinalizeEvent`. */
export function finalizePayload(): JsonObject {
  return { ...RUN };
}

/** -> `OnFailureEvent`: the whole state, since a failure in Init leaves no `run`. */
export function onFailurePayload(): JsonObject {
  // `$$.Execution` always exists (its RedriveCount only in the cloud): it tells a redriven attempt's failure apart.
  return { 'state.$': '$', 'execution.$': '$$.Execution' };
}
