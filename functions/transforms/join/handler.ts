/**
 * Lambda entry of the `join` barrier transform: the shared barrier handler
 * (shuffle, bucket reduce), plus the join's own plan (broadcast or shuffle,
 * decided at run time), broadcast tasks and the settle step that follows them.
 */
import { join } from 'node:path';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { withDuckDb } from '../../../shared/duckdb/engine.ts';
import { writeParquet } from '../../../shared/duckdb/parquet.ts';
import { InvalidEventError } from '../../../shared/errors.ts';
import { createBarrierHandler } from '../../../shared/lambda/barrier-handler.ts';
import {
  type ChainSteps,
  materialize,
  nodeTable,
  withChainSteps,
} from '../../../shared/lambda/chain-steps.ts';
import { completeChunk } from '../../../shared/lambda/chunk-io.ts';
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
import { withWorkDir } from '../../../shared/lambda/work-dir.ts';
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
      const result = await planJoin(deps, config, event);
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
    const startedAt = performance.now();
    return withWorkDir((workDir) =>
      withDuckDb({ workDir }, async (connection) => {
        const path = join(workDir, 'output.parquet');
        const scope = { deps, connection, run, node, workDir };
        const counters = await reduceBroadcastTask(scope, config, chunk, (query) =>
          writeParquet(connection, query, path),
        );
        return completeChunk(deps, observability, connection, {
          run,
          node,
          index: chunk.index,
          path,
          counters,
          startedAt,
        });
      }),
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
