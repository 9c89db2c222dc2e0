import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  type SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { describe, expect, it } from 'vitest';
import { StorageUnavailableError, TerminalError } from '../../../../shared/errors.ts';
import { CronConversionError } from '../../../../shared/triggers/errors.ts';
import {
  type SchedulerSender,
  ScheduleSync,
  scheduleName,
  scheduleSyncFromEnv,
} from '../../../../shared/triggers/schedule-sync.ts';

type Command = Parameters<SchedulerClient['send']>[0];

/** Records every command and answers each with the next scripted outcome (an error to throw, or success). */
function fakeScheduler(outcomes: (Error | undefined)[] = []) {
  const sent: Command[] = [];
  const sender = {
    send: async (command: Command) => {
      sent.push(command);
      const outcome = outcomes.shift();
      if (outcome) throw outcome;
      return {};
    },
  } as unknown as SchedulerSender;
  return { sent, sender };
}

function awsError(name: string, status: number): Error {
  return Object.assign(new Error(`${name} from Scheduler`), { name, $metadata: { httpStatusCode: status } });
}

const TARGET = {
  groupName: 'etl-platform-pipelines',
  functionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:etl-scheduled-run',
  roleArn: 'arn:aws:iam::111122223333:role/etl-scheduler',
};
const DAILY = { cron: '30 2 * * 1-5', timezone: 'Europe/Paris', enabled: true };

describe('ScheduleSync.sync', () => {
  it('creates a schedule that invokes the scheduled-run function with the tick time', async () => {
    const { sent, sender } = fakeScheduler();

    const result = await new ScheduleSync(sender, TARGET).sync('acme', 'sales', DAILY);

    expect(result).toBe('created');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toBeInstanceOf(CreateScheduleCommand);
    expect(sent[0]?.input).toStrictEqual({
      Name: 'etl-acme-sales',
      GroupName: 'etl-platform-pipelines',
      Description: 'ETL pipeline sales (acme): 30 2 * * 1-5',
      ScheduleExpression: 'cron(30 2 ? * MON-FRI *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: TARGET.functionArn,
        RoleArn: TARGET.roleArn,
        Input:
          '{"organization":"acme","pipelineId":"sales","scheduledTime":"<aws.scheduler.scheduled-time>"}',
        RetryPolicy: { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 3600 },
      },
    });
  });

  it('updates the schedule when it exists, with the whole request', async () => {
    const { sent, sender } = fakeScheduler([awsError('ConflictException', 409)]);

    const result = await new ScheduleSync(sender, {
      ...TARGET,
      deadLetterArn: 'arn:aws:sqs:eu-west-1:111122223333:dlq',
    }).sync('acme', 'sales', { ...DAILY, enabled: false });

    expect(result).toBe('updated');
    expect(sent.map((command) => command.constructor)).toStrictEqual([
      CreateScheduleCommand,
      UpdateScheduleCommand,
    ]);
    expect(sent[1]?.input).toStrictEqual(sent[0]?.input);
    expect(sent[1]?.input).toMatchObject({
      State: 'DISABLED',
      Target: { DeadLetterConfig: { Arn: 'arn:aws:sqs:eu-west-1:111122223333:dlq' } },
    });
  });

  it('deletes the schedule of a pipeline that no longer has one', async () => {
    const { sent, sender } = fakeScheduler();

    const result = await new ScheduleSync(sender, TARGET).sync('acme', 'sales', undefined);

    expect(result).toBe('deleted');
    expect(sent[0]).toBeInstanceOf(DeleteScheduleCommand);
    expect(sent[0]?.input).toStrictEqual({ Name: 'etl-acme-sales', GroupName: 'etl-platform-pipelines' });
  });

  it('treats a schedule that is already gone as removed', async () => {
    const { sender } = fakeScheduler([awsError('ResourceNotFoundException', 404)]);

    expect(await new ScheduleSync(sender, TARGET).remove('acme', 'sales')).toBe('absent');
  });

  it('fails before calling Scheduler when the cron cannot be expressed', async () => {
    const { sent, sender } = fakeScheduler();

    await expect(
      new ScheduleSync(sender, TARGET).sync('acme', 'sales', { ...DAILY, cron: '0 0 1 * 1' }),
    ).rejects.toThrow(CronConversionError);
    expect(sent).toHaveLength(0);
  });

  it('types Scheduler failures: throttling is transient, a validation error terminal', async () => {
    const throttled = fakeScheduler([awsError('ThrottlingException', 400)]);
    const invalid = fakeScheduler([awsError('ValidationException', 400)]);

    await expect(new ScheduleSync(throttled.sender, TARGET).sync('acme', 'sales', DAILY)).rejects.toThrow(
      StorageUnavailableError,
    );
    await expect(new ScheduleSync(invalid.sender, TARGET).sync('acme', 'sales', DAILY)).rejects.toThrow(
      TerminalError,
    );
    await expect(
      new ScheduleSync(fakeScheduler([awsError('ValidationException', 400)]).sender, TARGET).sync(
        'acme',
        'sales',
        DAILY,
      ),
    ).rejects.toThrow('creating schedule etl-acme-sales of pipeline sales: ValidationException');
  });
});

describe('scheduleName', () => {
  it('keeps names within 64 characters and distinct', () => {
    const long = 'p'.repeat(64);

    const a = scheduleName('acme', long);
    const b = scheduleName('acme', `${long.slice(0, 63)}q`);

    expect(a.length).toBe(64);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[0-9a-zA-Z_.-]+$/);
  });
});

describe('scheduleSyncFromEnv', () => {
  it('targets the deployed function, role and group', async () => {
    const { sent, sender } = fakeScheduler();
    const env = {
      ETL_SCHEDULE_GROUP: TARGET.groupName,
      ETL_SCHEDULED_RUN_FUNCTION_ARN: TARGET.functionArn,
      ETL_SCHEDULER_ROLE_ARN: TARGET.roleArn,
    };

    await scheduleSyncFromEnv(env, sender)?.sync('acme', 'sales', DAILY);

    expect(sent[0]?.input).toMatchObject({
      GroupName: TARGET.groupName,
      Target: { Arn: TARGET.functionArn },
    });
  });

  it('is absent where nothing is configured, and fails on a partial configuration', () => {
    expect(scheduleSyncFromEnv({})).toBeUndefined();
    expect(() => scheduleSyncFromEnv({ ETL_SCHEDULE_GROUP: 'g' })).toThrow(
      'schedule sync needs ETL_SCHEDULED_RUN_FUNCTION_ARN, ETL_SCHEDULER_ROLE_ARN as well',
    );
  });
});
