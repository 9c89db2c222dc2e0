/**
 * S3 "Object Created" events from EventBridge: starts a run of every
 * pipeline whose trigger matches the object, at most once per object
 * version. A failure to start throws, so EventBridge retries the delivery.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { createObservability, withObservability } from '../../shared/lambda/powertools.ts';
import { triggerDepsFromEnv } from '../../shared/triggers/cloud-deps.ts';
import { handleObjectCreated, type TriggeredRun } from '../../shared/triggers/s3-trigger.ts';

const observability = createObservability('etl-control-s3-trigger');

export const handler = withObservability(
  observability,
  async (event: unknown, _context: Context): Promise<{ runs: TriggeredRun[] }> => {
    const runs = await handleObjectCreated(event, triggerDepsFromEnv());
    const started = runs.filter((run) => run.runId !== undefined);
    observability.metrics.addMetric('TriggeredRuns', MetricUnit.Count, started.length);
    observability.logger.info('object created', { matched: runs.length, started: started.length });
    return { runs };
  },
);
