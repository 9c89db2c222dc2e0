/**
 * Step Functions "Execution Status Change" events for TIMED_OUT executions:
 * an execution timeout ends the run without running OnFailure (no Catch
 * sees it), so the run's end is recorded here, its alert raised and its
 * notifications sent, exactly as OnFailure does for a failure.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { FIRST_ATTEMPT } from '../../shared/executions/run-attempt.ts';
import { handlerDeps } from '../../shared/lambda/deps.ts';
import { ExecutionInputSchema } from '../../shared/lambda/events.ts';
import { parseEvent } from '../../shared/lambda/parse-event.ts';
import { createObservability, withObservability } from '../../shared/lambda/powertools.ts';
import { notifyRunEnd } from '../../shared/notifications/notify-run-end.ts';
import type { RunError } from '../../shared/store/run-types.ts';

const observability = createObservability('etl-control-notify');

const ExecutionTimedOutSchema = z
  .object({
    'detail-type': z.literal('Step Functions Execution Status Change'),
    detail: z
      .object({
        status: z.literal('TIMED_OUT'),
        name: z.string(),
        stateMachineArn: z.string(),
        /** Redrives of the execution before the attempt that timed out (0 for the first). */
        redriveCount: z.int().min(0).optional(),
        /** The execution input, as JSON text: it names the run and its organization. */
        input: z
          .string()
          .transform((text, context): unknown => {
            try {
              return JSON.parse(text);
            } catch {
              context.addIssue({ code: 'custom', message: 'execution input is not JSON' });
              return z.NEVER;
            }
          })
          .pipe(ExecutionInputSchema),
      })
      .loose(),
  })
  .loose();

export const handler = withObservability(
  observability,
  async (rawEvent: unknown, _context: Context): Promise<{ runId: string; recorded: boolean }> => {
    const { detail } = parseEvent(ExecutionTimedOutSchema, rawEvent, 'control-notify');
    const { runId, organization } = detail.input;
    observability.logger.appendKeys({ runId, organization });
    const { store } = handlerDeps(organization);
    const run = await store.getRun(runId);
    const error: RunError = {
      name: 'States.Timeout',
      message: `execution ${detail.name} exceeded the pipeline's execution.timeout_seconds`,
    };
    // A repeated event, or a run already closed another way (cancelled): record nothing twice.
    const open = run !== undefined && (run.status === 'running' || run.status === 'pending');
    if (open) {
      await store.finishRun(runId, 'timeout', new Date().toISOString(), error);
      observability.metrics.addMetric('RunsTimedOut', MetricUnit.Count, 1);
    }
    // Alerts and notifications are idempotent on their own: a retry after a partial failure completes them.
    if (run !== undefined && (open || run.status === 'timeout')) {
      await notifyRunEnd(
        observability,
        organization,
        runId,
        'timeout',
        run.error ?? error,
        detail.redriveCount ?? FIRST_ATTEMPT,
      );
    }
    return { runId, recorded: open };
  },
);
