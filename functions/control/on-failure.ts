/** `OnFailure`: records why the run failed, and where, before the execution ends in `Failed`. */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { attemptOfExecution } from '../../shared/executions/run-attempt.ts';
import { handlerDeps } from '../../shared/lambda/deps.ts';
import { OnFailureEventSchema } from '../../shared/lambda/events.ts';
import { nodeIdFromErrorMessage } from '../../shared/lambda/node-task.ts';
import { parseEvent } from '../../shared/lambda/parse-event.ts';
import { createObservability, withObservability } from '../../shared/lambda/powertools.ts';
import { notifyRunEnd } from '../../shared/notifications/notify-run-end.ts';
import type { RunError } from '../../shared/store/run-types.ts';
import { readCaughtError } from './failure-cause.ts';

const observability = createObservability('etl-control-on-failure');

export const handler = withObservability(
  observability,
  async (rawEvent: unknown, _context: Context): Promise<{ runId: string; error: RunError }> => {
    const { state, execution } = parseEvent(OnFailureEventSchema, rawEvent, 'control-on-failure');
    // Which redrive failed: the failure's identity is (run, attempt), for its alert, notifications and idempotency.
    const attempt = attemptOfExecution(execution);
    const runId = state.run?.runId ?? state.runId;
    const caught = readCaughtError(state.error);
    if (runId === undefined) {
      // Failed before Init produced a run id: nothing to record against.
      observability.metrics.addMetric('RunsFailed', MetricUnit.Count, 1);
      observability.logger.error('run failed before it was recorded', { error: caught });
      return { runId: 'unknown', error: caught };
    }
    observability.logger.appendKeys({ runId, attempt });
    const store = handlerDeps(state.run?.organization ?? state.organization).store;
    // The node's own handler recorded terminal failures; prefer that precise record.
    const failedNode = (await store.getNodeRuns(runId)).find((node) => node.status === 'failed');
    // A transient error that exhausted its retries was not recorded: its message names the node.
    const nodeId = nodeIdFromErrorMessage(caught.message);
    const error: RunError = failedNode?.error ?? { ...caught, ...(nodeId ? { nodeId } : {}) };
    await store.finishRun(
      runId,
      state.error?.Error === 'States.Timeout' ? 'timeout' : 'failed',
      new Date().toISOString(),
      error,
    );
    observability.metrics.addMetric('RunsFailed', MetricUnit.Count, 1);
    observability.logger.error('run failed', { error });
    const { organization } = handlerDeps(state.run?.organization ?? state.organization);
    // A preview's sample run is nobody's run: its failure is the preview's answer, not an alert.
    if (state.run?.sampleChunks === undefined)
      await notifyRunEnd(
        observability,
        organization,
        runId,
        state.error?.Error === 'States.Timeout' ? 'timeout' : 'failed',
        error,
        attempt,
      );
    return { runId, error };
  },
);
