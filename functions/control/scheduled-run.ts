/**
 * EventBridge Scheduler ticks (one schedule per scheduled pipeline, see
 * shared/triggers/schedule-sync.ts): starts the pipeline's run for the tick,
 * once however often the tick is delivered.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { OrganizationSchema } from '../../shared/lambda/events.ts';
import { parseEvent } from '../../shared/lambda/parse-event.ts';
import { createObservability, withObservability } from '../../shared/lambda/powertools.ts';
import { triggerDepsFromEnv } from '../../shared/triggers/cloud-deps.ts';
import { startScheduledRun } from '../../shared/triggers/scheduled-run.ts';

const observability = createObservability('etl-control-scheduled-run');

export const ScheduleTickSchema = z.strictObject({
  organization: OrganizationSchema,
  pipelineId: z.string().min(1),
  /** Filled in by Scheduler from `<aws.scheduler.scheduled-time>`. */
  scheduledTime: z.iso.datetime({ offset: true }),
});

export const handler = withObservability(
  observability,
  async (rawEvent: unknown, _context: Context): Promise<{ runId?: string }> => {
    const tick = parseEvent(ScheduleTickSchema, rawEvent, 'control-scheduled-run');
    observability.logger.appendKeys({ pipelineId: tick.pipelineId, organization: tick.organization });
    const runId = await startScheduledRun(
      { ...tick, scheduledTime: new Date(tick.scheduledTime) },
      triggerDepsFromEnv(),
    );
    if (runId !== undefined) observability.metrics.addMetric('ScheduledRuns', MetricUnit.Count, 1);
    observability.logger.info(runId === undefined ? 'tick already handled' : 'scheduled run started', {
      runId,
    });
    return runId === undefined ? {} : { runId };
  },
);
