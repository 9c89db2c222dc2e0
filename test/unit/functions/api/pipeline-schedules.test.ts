/**
 * Saving a pipeline through the API keeps its EventBridge Scheduler schedule
 * in step: the schedule sync the Lambda builds from its environment, with a
 * fake Scheduler client recording the commands.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  type SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApi } from '../../../../functions/api/app.ts';
import type { ApiDeps } from '../../../../functions/api/deps.ts';
import { signLocalToken } from '../../../../shared/auth/local-tokens.ts';
import type { ExecutionService } from '../../../../shared/executions/execution-service.ts';
import { type SchedulerSender, scheduleSyncFromEnv } from '../../../../shared/triggers/schedule-sync.ts';
import { type LocalTable, startLocalTable, TABLE } from '../../shared/connections/dynalite.ts';
import { noExecutions, stubDeps, TEST_KEY } from './stub-deps.ts';

type Command = Parameters<SchedulerClient['send']>[0];

const ENV = {
  ETL_SCHEDULE_GROUP: 'EtlPlatform-pipelines',
  ETL_SCHEDULED_RUN_FUNCTION_ARN: 'arn:aws:lambda:eu-west-1:111122223333:function:etl-scheduled-run',
  ETL_SCHEDULER_ROLE_ARN: 'arn:aws:iam::111122223333:role/etl-scheduler',
};

let table: LocalTable;
let example: Record<string, unknown>;
let sent: Command[];
let deps: ApiDeps;

/** Deploying and removing state machines is the executor's business, not this test's. */
const deployedNowhere: ExecutionService = {
  ...noExecutions,
  deployPipeline: async () => undefined,
  removePipeline: async () => undefined,
};

beforeAll(async () => {
  table = await startLocalTable();
  example = JSON.parse(await readFile(join('test', 'fixtures', 'pipelines', 'valid.json'), 'utf8')) as Record<
    string,
    unknown
  >;
});
afterAll(() => table.close());

beforeEach(() => {
  sent = [];
  const scheduler = {
    send: async (command: Command) => {
      sent.push(command);
      return {};
    },
  } as unknown as SchedulerSender;
  const schedules = scheduleSyncFromEnv(ENV, scheduler);
  deps = stubDeps({
    dynamo: table.client,
    table: TABLE,
    executions: deployedNowhere,
    ...(schedules ? { schedules } : {}),
  });
});

async function call(method: string, path: string, body?: unknown): Promise<Response> {
  const token = await signLocalToken(TEST_KEY, { user: 'ada', org: 'acme', role: 'developer' });
  return createApi(deps).request(path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

function inputOf(command: Command | undefined): CreateScheduleCommandInput {
  return command?.input as CreateScheduleCommandInput;
}

describe('pipeline schedules through the API', () => {
  it('creates the schedule, with the converted cron, when a scheduled pipeline is created', async () => {
    const pipeline = {
      ...example,
      id: 'nightly',
      schedule: { cron: '30 2 * * 1-5', timezone: 'Europe/Paris' },
    };

    const response = await call('POST', '/pipelines', pipeline);

    expect(response.status).toBe(201);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toBeInstanceOf(CreateScheduleCommand);
    expect(inputOf(sent[0])).toMatchObject({
      Name: 'etl-acme-nightly',
      GroupName: ENV.ETL_SCHEDULE_GROUP,
      ScheduleExpression: 'cron(30 2 ? * MON-FRI *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      State: 'ENABLED',
      Target: { Arn: ENV.ETL_SCHEDULED_RUN_FUNCTION_ARN, RoleArn: ENV.ETL_SCHEDULER_ROLE_ARN },
    });
  });

  it('updates the schedule when a new version changes the cron', async () => {
    await call('POST', '/pipelines', { ...example, id: 'hourly', schedule: { cron: '0 * * * *' } });
    sent.length = 0;
    const conflict = Object.assign(new Error('exists'), { name: 'ConflictException' });
    const scheduler = {
      send: async (command: Command) => {
        sent.push(command);
        if (command instanceof CreateScheduleCommand) throw conflict;
        return {};
      },
    } as unknown as SchedulerSender;
    const schedules = scheduleSyncFromEnv(ENV, scheduler);
    deps = { ...deps, ...(schedules ? { schedules } : {}) };

    const response = await call('PUT', '/pipelines/hourly', {
      pipeline: { ...example, schedule: { cron: '15 */2 * * *', enabled: false } },
      expectedVersion: 1,
    });

    expect(response.status).toBe(200);
    expect(sent.map((command) => command.constructor)).toStrictEqual([
      CreateScheduleCommand,
      UpdateScheduleCommand,
    ]);
    expect(inputOf(sent[1])).toMatchObject({
      Name: 'etl-acme-hourly',
      ScheduleExpression: 'cron(15 0/2 * * ? *)',
      State: 'DISABLED',
    });
  });

  it('removes the schedule when a new version has none', async () => {
    await call('POST', '/pipelines', { ...example, id: 'unscheduled', schedule: { cron: '0 6 * * *' } });
    sent.length = 0;

    const response = await call('PUT', '/pipelines/unscheduled', { pipeline: example, expectedVersion: 1 });

    expect(response.status).toBe(200);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toBeInstanceOf(DeleteScheduleCommand);
    expect(sent[0]?.input).toStrictEqual({ Name: 'etl-acme-unscheduled', GroupName: ENV.ETL_SCHEDULE_GROUP });
  });

  it('deletes the schedule when the pipeline is deleted', async () => {
    await call('POST', '/pipelines', { ...example, id: 'doomed', schedule: { cron: '0 6 * * *' } });
    sent.length = 0;

    const response = await call('DELETE', '/pipelines/doomed');

    expect(response.status).toBe(204);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toBeInstanceOf(DeleteScheduleCommand);
    expect(sent[0]?.input).toStrictEqual({ Name: 'etl-acme-doomed', GroupName: ENV.ETL_SCHEDULE_GROUP });
  });

  it('answers 500 saying the version was saved when Scheduler refuses', async () => {
    const scheduler = {
      send: async () => {
        throw Object.assign(new Error('denied'), {
          name: 'AccessDeniedException',
          $metadata: { httpStatusCode: 403 },
        });
      },
    } as unknown as SchedulerSender;
    const schedules = scheduleSyncFromEnv(ENV, scheduler);
    deps = { ...deps, ...(schedules ? { schedules } : {}) };

    const response = await call('POST', '/pipelines', {
      ...example,
      id: 'refused',
      schedule: { cron: '0 6 * * *' },
    });

    expect(response.status).toBe(500);
    expect(((await response.json()) as { detail: string }).detail).toMatch(
      /pipeline refused was saved as version 1, but updating its schedule failed/,
    );
  });
});

describe('CORS', () => {
  it('answers the console origin, and no other, when origins are configured', async () => {
    deps = { ...deps, corsOrigins: ['https://d111111abcdef8.cloudfront.net'] };

    const allowed = await createApi(deps).request('/health', {
      headers: { origin: 'https://d111111abcdef8.cloudfront.net' },
    });
    const other = await createApi(deps).request('/health', { headers: { origin: 'https://evil.example' } });

    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://d111111abcdef8.cloudfront.net');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sends no CORS headers without configured origins', async () => {
    const response = await createApi(deps).request('/health', {
      headers: { origin: 'https://evil.example' },
    });

    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});
