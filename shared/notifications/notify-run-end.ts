/**
 * The one call Finalize and OnFailure make once the run's status is
 * recorded. A notification that cannot be delivered is logged and counted
 * (metric `NotificationsFailed`, alarmed on), never thrown: the run's data
 * is committed or its failure recorded, and a mail server's trouble must
 * not turn either into a different outcome.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { FIRST_ATTEMPT } from '../executions/run-attempt.ts';
import { handlerDeps } from '../lambda/deps.ts';
import { createObservability, type Observability } from '../lambda/powertools.ts';
import type { RunError } from '../store/run-types.ts';
import { runOutcomeDeps } from './deps.ts';
import { type RunOutcomeReport, reportRunOutcome } from './run-outcome.ts';
import type { RunOutcome } from './run-outcome-types.ts';

export async function notifyRunEnd(
  observability: Observability,
  organization: string,
  runId: string,
  status: RunOutcome['status'],
  error?: RunError,
  /** Redrives before the attempt that ended (`$$.Execution.RedriveCount`): each attempt's end is told. */
  attempt = FIRST_ATTEMPT,
): Promise<RunOutcomeReport | undefined> {
  const { env, s3, store } = handlerDeps(organization);
  const run = await store.getRun(runId);
  // Nothing recorded, nothing to tell: the run failed before Init.
  if (run === undefined) return undefined;
  const { logger, metrics } = observability;
  const report = await reportRunOutcome(
    {
      organization,
      runId,
      pipelineId: run.pipelineId,
      pipelineName: run.pipelineName,
      ...(run.pipelineVersion === undefined ? {} : { pipelineVersion: run.pipelineVersion }),
      status,
      attempt,
      ...(error === undefined ? {} : { error }),
      nodes: await store.getNodeRuns(runId),
    },
    runOutcomeDeps(env, s3, organization, (message, details) => logger.info(message, details)),
  );
  for (const delivery of report.deliveries) {
    if (delivery.outcome !== 'failed') continue;
    metrics.addMetric('NotificationsFailed', MetricUnit.Count, 1);
    logger.error('notification not delivered', { target: delivery.target, error: delivery.error });
  }
  if (report.alerts.length > 0)
    logger.info('alerts raised', { alerts: report.alerts.map((alert) => alert.alertId) });
  return report;
}

let localObservability: Observability | undefined;

/**
 * For the embedded runtime, which closes runs itself where no handler does
 * (an execution timeout skips OnFailure locally as in the cloud).
 */
export function notifyLocalRunEnd(
  organization: string,
  runId: string,
  status: RunOutcome['status'],
  error?: RunError,
  attempt = FIRST_ATTEMPT,
): Promise<RunOutcomeReport | undefined> {
  localObservability ??= createObservability('etl-local-runtime');
  return notifyRunEnd(localObservability, organization, runId, status, error, attempt);
}
