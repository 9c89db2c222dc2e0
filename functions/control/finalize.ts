/**
 * `Finalize`: loads are committed; save watermarks, sum chunk counters per
 * node, mark the run successful, tell who asked. Once per run: a repeated or
 * concurrent delivery of the same run's Finalize gets the first one's result
 * (Powertools Idempotency keyed by organization and run id).
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { runOnce } from '../../shared/idempotency/run-once.ts';
import { handlerDeps } from '../../shared/lambda/deps.ts';
import { FinalizeEventSchema, type RunContext } from '../../shared/lambda/events.ts';
import { parseEvent } from '../../shared/lambda/parse-event.ts';
import { createObservability, withObservability } from '../../shared/lambda/powertools.ts';
import { recordStoredRunLineage } from '../../shared/lineage/stored-run.ts';
import { notifyRunEnd } from '../../shared/notifications/notify-run-end.ts';
import type { NodeRun } from '../../shared/store/run-types.ts';
import { watermarkStoreFromEnv } from '../../shared/store/watermark-store.ts';

const observability = createObservability('etl-control-finalize');

export interface FinalizeResult {
  readonly runId: string;
  readonly status: 'success';
  readonly nodes: readonly Pick<NodeRun, 'nodeId' | 'rowsIn' | 'rowsOut' | 'rowsRejected' | 'rowsFiltered'>[];
}

async function finalizeRun(run: RunContext): Promise<FinalizeResult> {
  // Every stage and commit succeeded: what incremental extractors read is now loaded for good.
  // A preview reads a sample: it must not move where the next real run starts.
  const watermarks =
    run.sampleChunks === undefined ? await watermarkStoreFromEnv(run.organization).promote(run.runId) : [];
  // Column lineage, once per run, from the stored pipeline version (a local file run records its own).
  const lineage =
    run.sampleChunks === undefined
      ? await recordStoredRunLineage(run.runId, handlerDeps(run.organization))
      : [];
  const nodes = await handlerDeps(run.organization).store.finishRun(
    run.runId,
    'success',
    new Date().toISOString(),
  );
  observability.metrics.addDimensions({ pipeline: run.pipelineId });
  observability.metrics.addMetric('RunsSucceeded', MetricUnit.Count, 1);
  observability.logger.info('run succeeded', {
    nodes: nodes.length,
    watermarks: watermarks.length,
    lineageNodes: lineage.length,
  });
  // A preview's sample run is nobody's run: no alert, no notification.
  if (run.sampleChunks === undefined)
    await notifyRunEnd(observability, run.organization, run.runId, 'success');
  return {
    runId: run.runId,
    status: 'success',
    nodes: nodes.map(({ nodeId, rowsIn, rowsOut, rowsRejected, rowsFiltered }) => ({
      nodeId,
      rowsIn,
      rowsOut,
      rowsRejected,
      rowsFiltered,
    })),
  };
}

export const handler = withObservability(
  observability,
  async (rawEvent: unknown, context: Context): Promise<FinalizeResult> => {
    const { run } = parseEvent(FinalizeEventSchema, rawEvent, 'control-finalize');
    observability.logger.appendKeys({ runId: run.runId, pipelineId: run.pipelineId });
    const { env } = handlerDeps(run.organization);
    return runOnce({ effect: 'finalize', organization: run.organization, key: run.runId, env, context }, () =>
      finalizeRun(run),
    );
  },
);
