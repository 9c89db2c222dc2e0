/**
 * Finalize, OnFailure and the timeout notifier under duplicate delivery,
 * against dynalite and the outbox: whatever the number of copies, and
 * whether they come one after another or at once, a run is closed once,
 * alerted once and notified once.
 */
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as finalize } from '../../../functions/control/finalize.ts';
import { handler as notifyTimeout } from '../../../functions/control/notify.ts';
import { handler as onFailure } from '../../../functions/control/on-failure.ts';
import { createDynamoDbClient } from '../../../shared/aws/clients.ts';
import { handlerDeps } from '../../../shared/lambda/deps.ts';
import type { RunContext } from '../../../shared/lambda/events.ts';
import { PipelineSchema } from '../../../shared/spec/schema.ts';
import { AlertStore } from '../../../shared/store/alert-store.ts';
import { PipelineStore } from '../../../shared/store/pipeline-store.ts';
import { startTestEnvironment, type TestEnvironment } from '../harness.ts';
import {
  type Delivery,
  deliverConcurrently,
  idempotencyRecords,
  invoker,
  outboxEntries,
} from './deliveries.ts';

const ORG = 'acme';
const PIPELINE = 'orders';

let env: TestEnvironment;
const deliverFinalize = invoker('control-finalize', finalize);
const deliverOnFailure = invoker('control-on-failure', onFailure);
const deliverTimeout = invoker('control-notify', notifyTimeout);

/** A run recorded as Init records it, for the pipeline that notifies on success and failure. */
async function recordedRun(): Promise<RunContext> {
  const run: RunContext = {
    runId: ulid(),
    pipelineId: PIPELINE,
    pipelineName: 'Orders',
    parameters: {},
    startedAt: new Date().toISOString(),
    organization: ORG,
  };
  await handlerDeps(ORG).store.startRun({ ...run, pipelineVersion: 1, status: 'running', trigger: 'api' }, [
    { nodeId: 'orders', module: 's3-csv' },
    { nodeId: 'curated', module: 's3-parquet' },
  ]);
  return run;
}

async function notificationsOf(runId: string) {
  return (await outboxEntries(env)).filter((entry) => entry.subject.includes(runId));
}

async function alertsOf(runId: string) {
  const alerts = new AlertStore(createDynamoDbClient(env.services.env), env.services.env.metadataTable, ORG);
  return (await alerts.list()).items.filter((alert) => alert.runId === runId);
}

function failedEvent(run: RunContext) {
  return {
    state: {
      run,
      error: {
        Error: 'DataError',
        Cause: JSON.stringify({
          errorType: 'DataError',
          errorMessage: 'node curated (s3-parquet): bad row 7',
        }),
      },
    },
  };
}

function timedOutEvent(runId: string, eventId: string) {
  return {
    version: '0',
    id: eventId,
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    detail: {
      executionArn: `arn:aws:states:eu-west-1:111122223333:execution:etl-acme-orders:${runId}`,
      stateMachineArn: 'arn:aws:states:eu-west-1:111122223333:stateMachine:etl-acme-orders',
      name: runId,
      status: 'TIMED_OUT',
      input: JSON.stringify({ runId, parameters: {}, trigger: 'api', organization: ORG, pipelineVersion: 1 }),
    },
  };
}

/** Copies that lost the race must have been told to retry (transient), never failed for good. */
function expectAnsweredOrRetryable(deliveries: readonly Delivery[]): Delivery[] {
  for (const delivery of deliveries) {
    if (delivery.errorName !== undefined)
      expect(delivery.errorName, delivery.errorMessage).toBe('TransientError');
  }
  return deliveries.filter((delivery) => delivery.errorName === undefined);
}

beforeAll(async () => {
  env = await startTestEnvironment();
  const pipeline = PipelineSchema.parse({
    id: PIPELINE,
    name: 'Orders',
    nodes: [
      { id: 'orders', type: 'extractor', module: 's3-csv', config: { bucket: 'landing', prefix: 'orders/' } },
      { id: 'curated', type: 'loader', module: 's3-parquet', config: { bucket: 'data', prefix: 'orders/' } },
    ],
    edges: [{ source: 'orders', target: 'curated' }],
    notifications: {
      on_success: [{ type: 'email', address: 'data-team@example.com' }],
      on_failure: [{ type: 'email', address: 'oncall@example.com' }],
    },
  });
  const client = createDynamoDbClient(env.services.env);
  await new PipelineStore(client, env.services.env.metadataTable, ORG).create(PIPELINE, pipeline, 'alice');
});
afterAll(() => env?.close());

describe('Finalize delivered more than once', () => {
  it('closes the run and notifies once when the same event comes again', async () => {
    const run = await recordedRun();

    const first = await deliverFinalize({ run });
    const closed = await handlerDeps(ORG).store.getRun(run.runId);
    const second = await deliverFinalize({ run });
    const third = await deliverFinalize({ run });

    expect(first.errorMessage).toBeUndefined();
    expect(first.payload).toMatchObject({ runId: run.runId, status: 'success' });
    // The repeats answer the first delivery's result, from its idempotency record.
    expect(second).toStrictEqual(first);
    expect(third).toStrictEqual(first);
    // One record, kept as long as Step Functions could redrive, expired by the table's TTL.
    const records = await idempotencyRecords(env, ORG, 'finalize');
    expect(records.filter((record) => record.status === 'COMPLETED').length).toBeGreaterThanOrEqual(1);
    for (const record of records) {
      expect(record.sk).toMatch(/^finalize#/);
      expect(record.expiresAt - Date.now() / 1000).toBeGreaterThan(13 * 24 * 3600);
    }
    // Not closed again: the first delivery's finish time stands.
    expect((await handlerDeps(ORG).store.getRun(run.runId))?.finishedAt).toBe(closed?.finishedAt);
    expect((await notificationsOf(run.runId)).map((entry) => entry.to)).toStrictEqual([
      'data-team@example.com',
    ]);
  });

  it('lets one of several concurrent copies do the work, and the others retry into its result', async () => {
    const run = await recordedRun();

    const copies = await deliverConcurrently(deliverFinalize, { run }, 4);
    const answered = expectAnsweredOrRetryable(copies);
    // What the state machine's Retry does for the copies told to retry.
    const retried = await deliverConcurrently(deliverFinalize, { run }, copies.length - answered.length);

    expect(answered.length).toBeGreaterThanOrEqual(1);
    // At least one copy came while the first was still at work, and was held off.
    expect(retried.length).toBeGreaterThanOrEqual(1);
    for (const delivery of [...answered, ...retried]) expect(delivery).toStrictEqual(answered[0]);
    expect((await notificationsOf(run.runId)).map((entry) => entry.to)).toStrictEqual([
      'data-team@example.com',
    ]);
    expect((await handlerDeps(ORG).store.getRun(run.runId))?.status).toBe('success');
  });
});

describe('OnFailure delivered more than once', () => {
  it('records the failure, raises one alert and sends one notification, sequentially and at once', async () => {
    const sequential = await recordedRun();
    const concurrent = await recordedRun();

    const first = await deliverOnFailure(failedEvent(sequential));
    const again = await deliverOnFailure(failedEvent(sequential));
    const copies = await deliverConcurrently(deliverOnFailure, failedEvent(concurrent), 4);

    expect(first.errorMessage).toBeUndefined();
    expect(again).toStrictEqual(first);
    expect(copies.map((copy) => copy.errorMessage)).toStrictEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    for (const run of [sequential, concurrent]) {
      expect((await handlerDeps(ORG).store.getRun(run.runId))?.status).toBe('failed');
      expect((await alertsOf(run.runId)).map((alert) => alert.type)).toStrictEqual(['run_failed']);
      expect((await notificationsOf(run.runId)).map((entry) => entry.to)).toStrictEqual([
        'oncall@example.com',
      ]);
    }
  });
});

describe('the timeout notifier delivered more than once', () => {
  it('closes a timed-out run and notifies once for copies of the same event arriving at once', async () => {
    const run = await recordedRun();
    const event = timedOutEvent(run.runId, ulid());

    const copies = await deliverConcurrently(deliverTimeout, event, 4);
    const late = await deliverTimeout(event);

    expect(copies.map((copy) => copy.errorMessage)).toStrictEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(late.payload).toStrictEqual({ runId: run.runId, recorded: false });
    expect((await handlerDeps(ORG).store.getRun(run.runId))?.status).toBe('timeout');
    expect((await alertsOf(run.runId)).map((alert) => alert.type)).toStrictEqual(['run_timeout']);
    expect((await notificationsOf(run.runId)).map((entry) => entry.to)).toStrictEqual(['oncall@example.com']);
  });
});
