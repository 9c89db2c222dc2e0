/** `Finalize`: loads are committed; save watermarks, sum chunk counters per node, mark the run successful. */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { handlerDeps } from '../../shared/lambda/deps.ts';
import { FinalizeEventSchema } from '../../shared/lambda/events.ts';
import { parseEvent } from '../../shared/lambda/parse-event.ts';
import { createObservability, withObservability } from '../../shared/lambda/powertools.ts';
import type { NodeRun } from '../../shared/store/run-types.ts';
import { watermarkStoreFromEnv } from '../../shared/store/watermark-store.ts';

const observability = createObservability('etl-control-finalize');

export interface FinalizeResult {
  readonly runId: string;
  readonly status: 'success';
  readonly nodes: readonly Pick<NodeRun, 'nodeId' | 'rowsIn' | 'rowsOut' | 'rowsRejected' | 'rowsFiltered'>[];
}

export const handler = withObservability(
  observability,
  async (rawEvent: unknown, _context: Context): Promise<FinalizeResult> => {
    const { run } = parseEvent(FinalizeEventSchema, rawEvent, 'control-finalize');
    observability.logger.appendKeys({ runId: run.runId, pipelineId: run.pipelineId });
    // Every stage and commit succeeded: what incremental extractors read is now loaded for good.
    const watermarks = await watermarkStoreFromEnv().promote(run.runId);
    const nodes = await handlerDeps().store.finishRun(run.runId, 'success', new Date().toISOString());
    observability.metrics.addDimensions({ pipeline: run.pipelineId });
    observability.metrics.addMetric('RunsSucceeded', MetricUnit.Count, 1);
    observability.logger.info('run succeeded', { nodes: nodes.length, watermarks: watermarks.length });
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
  },
);
