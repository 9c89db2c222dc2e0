/**
 * Starts the run a schedule tick asks for, once per pipeline and tick:
 * EventBridge Scheduler delivers at least once, and a claim on the
 * scheduled time keeps a repeated delivery from starting a second run.
 */
import { ulid } from 'ulid';
import type { ExecutionService } from '../executions/execution-service.ts';
import type { TriggerClaims } from './claims.ts';
import type { PipelineSource } from './s3-trigger.ts';

export interface ScheduleTick {
  readonly organization: string;
  readonly pipelineId: string;
  /** The instant the schedule fired for (not when the tick arrived). */
  readonly scheduledTime: Date;
}

export interface ScheduledRunDeps {
  readonly pipelines: PipelineSource;
  readonly executions: ExecutionService;
  readonly claims: TriggerClaims;
  readonly newRunId?: () => string;
}

/** The run id it started, or undefined when the tick was already handled or the pipeline is gone. */
export async function startScheduledRun(
  tick: ScheduleTick,
  deps: ScheduledRunDeps,
): Promise<string | undefined> {
  const latest = await deps.pipelines.getLatest(tick.organization, tick.pipelineId);
  if (latest === undefined) return undefined;
  // Whole minutes: cron cannot fire twice within one.
  const minute = new Date(Math.floor(tick.scheduledTime.getTime() / 60_000) * 60_000).toISOString();
  const id = `SCHEDULE#${tick.pipelineId}#${minute}`;
  const runId = (deps.newRunId ?? ulid)();
  const claimed = await deps.claims.claim({
    organization: tick.organization,
    id,
    attributes: { pipelineId: tick.pipelineId, scheduledTime: minute, runId },
  });
  if (!claimed) return undefined;
  try {
    await deps.executions.start({
      organization: tick.organization,
      pipeline: latest.pipeline,
      pipelineVersion: latest.version,
      runId,
      parameters: {},
      trigger: 'schedule',
    });
  } catch (error) {
    await deps.claims.release(tick.organization, id);
    throw error;
  }
  return runId;
}
