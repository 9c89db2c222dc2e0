/**
 * Keeps one EventBridge Scheduler schedule per scheduled pipeline, in the
 * platform's schedule group, in step with the pipeline's `schedule`.
 *
 * Each tick invokes the scheduled-run function with the organization, the
 * pipeline and the tick's time (Scheduler fills `<aws.scheduler.scheduled-time>`),
 * rather than StartExecution directly: run ids must be ULIDs (runs list by
 * them, newest first), the run must record the pipeline version it ran, and
 * Scheduler delivers at least once, so a tick is claimed before it starts a
 * run (shared/triggers/scheduled-run.ts).
 */
import { createHash } from 'node:crypto';
import {
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { classifyAwsError } from '../aws/s3-errors.ts';
import { ConfigError } from '../errors.ts';
import { toAwsCron } from './cron.ts';

/** Only `send` is used: tests pass a fake with the client's own signature. */
export type SchedulerSender = Pick<SchedulerClient, 'send'>;

export interface ScheduleTargetSettings {
  /** The stack's schedule group (`ScheduleGroup` output). */
  readonly groupName: string;
  /** The scheduled-run function that every tick invokes. */
  readonly functionArn: string;
  /** The role Scheduler assumes to invoke it (`SchedulerRoleArn` output). */
  readonly roleArn: string;
  /**
   * Queue for ticks Scheduler could not deliver after its retries.
   * @default none
   */
  readonly deadLetterArn?: string;
}

export interface PipelineScheduleSpec {
  readonly cron: string;
  readonly timezone: string;
  readonly enabled: boolean;
}

export type ScheduleSyncResult = 'created' | 'updated' | 'deleted' | 'absent';

const MAX_NAME_LENGTH = 64;

/** `etl-<org>-<pipeline>`, cut with a hash past Scheduler's 64 characters so names stay distinct. */
export function scheduleName(organization: string, pipelineId: string): string {
  const name = `etl-${organization}-${pipelineId}`;
  if (name.length <= MAX_NAME_LENGTH) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 12);
  return `${name.slice(0, MAX_NAME_LENGTH - hash.length - 1)}-${hash}`;
}

function errorName(error: unknown): string | undefined {
  return (error as { name?: string } | null)?.name;
}

export class ScheduleSync {
  constructor(
    private readonly scheduler: SchedulerSender,
    private readonly target: ScheduleTargetSettings,
  ) {}

  /** The request that creates (or, with the same fields, updates) the pipeline's schedule. */
  scheduleRequest(
    organization: string,
    pipelineId: string,
    spec: PipelineScheduleSpec,
  ): CreateScheduleCommandInput {
    const { groupName, functionArn, roleArn, deadLetterArn } = this.target;
    return {
      Name: scheduleName(organization, pipelineId),
      GroupName: groupName,
      Description: `ETL pipeline ${pipelineId} (${organization}): ${spec.cron}`,
      ScheduleExpression: toAwsCron(spec.cron),
      ScheduleExpressionTimezone: spec.timezone,
      State: spec.enabled ? 'ENABLED' : 'DISABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: functionArn,
        RoleArn: roleArn,
        Input: JSON.stringify({ organization, pipelineId, scheduledTime: '<aws.scheduler.scheduled-time>' }),
        RetryPolicy: { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 3600 },
        ...(deadLetterArn === undefined ? {} : { DeadLetterConfig: { Arn: deadLetterArn } }),
      },
    };
  }

  /** Creates, updates or (for no schedule) deletes the pipeline's schedule. */
  async sync(
    organization: string,
    pipelineId: string,
    spec: PipelineScheduleSpec | undefined,
  ): Promise<ScheduleSyncResult> {
    if (spec === undefined) return this.remove(organization, pipelineId);
    const request = this.scheduleRequest(organization, pipelineId, spec);
    try {
      await this.scheduler.send(new CreateScheduleCommand(request));
      return 'created';
    } catch (error) {
      if (errorName(error) !== 'ConflictException') {
        throw classifyAwsError(error, `creating schedule ${request.Name} of pipeline ${pipelineId}`);
      }
    }
    try {
      // UpdateSchedule replaces every field: the full request, not a patch.
      await this.scheduler.send(new UpdateScheduleCommand(request));
      return 'updated';
    } catch (error) {
      throw classifyAwsError(error, `updating schedule ${request.Name} of pipeline ${pipelineId}`);
    }
  }

  /** Deletes the pipeline's schedule; one that does not exist is already gone. */
  async remove(organization: string, pipelineId: string): Promise<ScheduleSyncResult> {
    const name = scheduleName(organization, pipelineId);
    try {
      await this.scheduler.send(new DeleteScheduleCommand({ Name: name, GroupName: this.target.groupName }));
      return 'deleted';
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') return 'absent';
      throw classifyAwsError(error, `deleting schedule ${name} of pipeline ${pipelineId}`);
    }
  }
}

/** What the API function's deployment sets (the stack outputs of the same names). */
export const SCHEDULE_SYNC_ENV = {
  groupName: 'ETL_SCHEDULE_GROUP',
  functionArn: 'ETL_SCHEDULED_RUN_FUNCTION_ARN',
  roleArn: 'ETL_SCHEDULER_ROLE_ARN',
} as const;

/** The cloud's schedule sync, or undefined where schedules run in-process (`etl serve` sets none of these). */
export function scheduleSyncFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
  scheduler: SchedulerSender = new SchedulerClient({}),
): ScheduleSync | undefined {
  const values = Object.values(SCHEDULE_SYNC_ENV).map((name) => env[name]);
  if (values.every((value) => value === undefined || value === '')) return undefined;
  const missing = Object.values(SCHEDULE_SYNC_ENV).filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new ConfigError(
      `schedule sync needs ${missing.join(', ')} as well: the deployment sets all three or none`,
    );
  }
  return new ScheduleSync(scheduler, {
    groupName: env[SCHEDULE_SYNC_ENV.groupName] as string,
    functionArn: env[SCHEDULE_SYNC_ENV.functionArn] as string,
    roleArn: env[SCHEDULE_SYNC_ENV.roleArn] as string,
  });
}
