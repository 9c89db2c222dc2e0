import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { InvalidEventError } from '../../../shared/errors.ts';
import { createBarrierHandler } from '../../../shared/lambda/barrier-handler.ts';
import {
  type ChainSteps,
  materialize,
  nodeTable,
  withChainSteps,
} from '../../../shared/lambda/chain-steps.ts';
import { produceChunk } from '../../../shared/lambda/chunk-io.ts';
import { handlerDeps } from '../../../shared/lambda/deps.ts';
import {
  BarrierPlanEventSchema,
  type ChunkResult,
  type LoadResult,
  type PlanResult,
  ReduceEventSchema,
} from '../../../shared/lambda/events.ts';
import { runNodeTask } from '../../../shared/lambda/node-task.ts';
import { parseEvent, parseNodeConfig } from '../../../shared/lambda/parse-event.ts';
import { createObservability, withObservability } from '../../../shared/lambda/powertools.ts';
import { isBroadcastTask, planJoin } from './broadcast-plan.ts';
import { reduceBroadcastTask } from './broadcast-reduce.ts';
import { joinKernel } from './kernel.ts';
import { joinModule } from './module.ts';
import { JoinSettleEventSchema, type SettleResult, settleJoin } from './settle.ts';

const barrier = createBarrierHandler(joinModule, joinKernel);
const observability = createObservability('etl-join');

const JoinEventSchema = z.discriminatedUnion('action', [
  BarrierPlanEventSchema,
  ReduceEventSchema,
  JoinSettleEventSchema,
]);

/** The plan, settle and broadcast tasks are the join's own; shuffles and bucket reduces are any barrier's. */
function isJoinOwnEvent(event: unknown): boolean {
  if (typeof event !== 'object' || event === null || !('action' in event)) return false;
  if (event.action === 'plan' || event.action === 'settle') return true;
  return (
    event.action === 'reduce' &&
    'chunk' in event &&
    typeof event.chunk === 'object' &&
    event.chunk !== null &&
    'broadcast' in event.chunk
  );
}

const joinOwnHandler = withObservability(observability, async (rawEvent: unknown, _context: Context) => {
  const event = parseEvent(JoinEventSchema, rawEvent, joinModule.name);
  const { run, node } = event;
  const deps = handlerDeps(run.organization);
  return runNodeTask(deps, observability, run, node, async () => {
    const config = await parseNodeConfig(joinModule, node.id, node.config);
    if (event.action === 'settle') return settleJoin(deps, observability, config, event);
    if (event.action === 'plan') {
      const result = await planJoin(deps, observability.logger, config, event);
      observability.metrics.addDimensions({ pipeline: run.pipelineId, node: node.id });
      observability.metrics.addMetric('ChunksPlanned', MetricUnit.Count, result.chunkCount);
      return result;
    }
    const { chunk } = event;
    if (!isBroadcastTask(chunk)) {
      throw new InvalidEventError(
        `bucket ${chunk.index} of ${node.id} is not a broadcast task: ${JSON.stringify(chunk)}`,
      );
    }
    return produceChunk(
      deps,
      observability,
      { run, node, index: chunk.index },
      ({ connection, workDir, write }) =>
        reduceBroadcastTask({ deps, connection, run, node, workDir }, config, chunk, write),
    );
  });
});

const chainSteps: ChainSteps = {
  ...barrier.chainSteps,
  reduce: async (scope, bucket, inputs) => {
    if (!isBroadcastTask(bucket)) {
      const reduce = barrier.chainSteps.reduce;
      if (reduce === undefined) throw new InvalidEventError('the barrier handler has no reduce step');
      return reduce(scope, bucket, inputs);
    }
    const config = await parseNodeConfig(joinModule, scope.node.id, scope.node.config);
    const table = nodeTable(scope.node.id);
    const counters = await reduceBroadcastTask(scope, config, bucket, (query) =>
      materialize(scope.connection, query, table),
    );
    return { table, relation: 'table', counters };
  },
};

export const handler = withChainSteps<PlanResult | ChunkResult | LoadResult | SettleResult>(
  async (event: unknown, context: Context) =>
    isJoinOwnEvent(event) ? joinOwnHandler(event, context) : barrier(event, context),
  chainSteps,
);
