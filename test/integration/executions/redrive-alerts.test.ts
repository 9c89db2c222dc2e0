/**
 * A redriven run that fails again is a new failure: the local runtime
 * counts redrives as Step Functions does (`$$.Execution.RedriveCount`), so
 * each attempt's failure raises its own alert and sends its own
 * notification, while the same failure delivered twice still sends one.
 */
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as onFailure } from '../../../functions/control/on-failure.ts';
import { createDynamoDbClient } from '../../../shared/aws/clients.ts';
import { LocalExecutionService } from '../../../shared/executions/local-execution-service.ts';
import { readRunSnapshot } from '../../../shared/executions/run-snapshot.ts';
import { handlerDeps } from '../../../shared/lambda/deps.ts';
import { lambdaInvokeAdapter } from '../../../shared/runtime/lambda-invoke-adapter.ts';
import { type Pipeline, PipelineSchema } from '../../../shared/spec/schema.ts';
import { AlertStore } from '../../../shared/store/alert-store.ts';
import { PipelineStore } from '../../../shared/store/pipeline-store.ts';
import { startTestEnvironment, type TestEnvironment } from '../harness.ts';
import { outboxEntries } from '../idempotency/deliveries.ts';
import { waitForRunEnd } from './fixtures.ts';

const ORG = 'acme';
const PIPELINE_ID = 'orders-redrive';

/** Reads a bucket nobody created: every attempt fails the same way, as a bug not yet fixed does. */
const PIPELINE: Pipeline = PipelineSchema.parse({
  id: PIPELINE_ID,
  name: 'Orders redrive',
  nodes: [
    { id: 'orders', type: 'extractor', module: 's3-csv', config: { bucket: 'no-such-bucket', prefix: 'x/' } },
    { id: 'curated', type: 'loader', module: 's3-parquet', config: { bucket: 'lake', prefix: 'redrive/' } },
  ],
  edges: [{ source: 'orders', target: 'curated' }],
  notifications: { on_failure: [{ type: 'email', address: 'oncall@example.com' }] },
  execution: { retries: { max_attempts: 0 } },
});

let env: TestEnvironment;
let service: LocalExecutionService;

async function alertsOf(runId: string) {
  const alerts = new AlertStore(createDynamoDbClient(env.services.env), env.services.env.metadataTable, ORG);
  return (await alerts.list({ limit: 100 })).items.filter((alert) => alert.runId === runId);
}

async function mailsOf(runId: string) {
  return (await outboxEntries(env)).filter((entry) => entry.subject.includes(runId));
}

/** Ends the run's current attempt: start or redrive, then wait until the outcome is recorded. */
async function attempt(run: () => Promise<void>, runId: string): Promise<void> {
  await run();
  await service.drain();
  expect((await waitForRunEnd(ORG, runId)).status).toBe('failed');
}

beforeAll(async () => {
  env = await startTestEnvironment();
  service = new LocalExecutionService(env.services, { retryDelayMs: 10 });
  const client = createDynamoDbClient(env.services.env);
  await new PipelineStore(client, env.services.env.metadataTable, ORG).create(PIPELINE_ID, PIPELINE, 'alice');
});
afterAll(async () => {
  await service?.drain();
  await env?.close();
});

describe('a redriven run that fails again', () => {
  it('raises a new alert and sends a new notification for each attempt', async () => {
    const runId = ulid();
    const start = () =>
      service.start({
        organization: ORG,
        pipeline: PIPELINE,
        pipelineVersion: 1,
        runId,
        parameters: {},
        trigger: 'api',
      });

    await attempt(start, runId);
    await attempt(() => service.redrive(ORG, runId), runId);
    await attempt(() => service.redrive(ORG, runId), runId);

    const alerts = await alertsOf(runId);
    expect(alerts.map((alert) => alert.alertId.replace(/\.[a-z_]+$/, '')).sort()).toStrictEqual([
      runId,
      `${runId}.1`,
      `${runId}.2`,
    ]);
    expect(new Set(alerts.map((alert) => alert.type)).size).toBe(1);
    const mails = await mailsOf(runId);
    expect(mails.map((mail) => mail.idempotencyKey).sort()).toStrictEqual([
      `${runId}.1:failure`,
      `${runId}.2:failure`,
      `${runId}:failure`,
    ]);
    expect(mails.every((mail) => mail.to === 'oncall@example.com')).toBe(true);
    expect(mails.find((mail) => mail.idempotencyKey === `${runId}.2:failure`)?.text).toContain(
      'failed after redrive 2.',
    );
    const snapshot = await readRunSnapshot(handlerDeps(ORG).s3, env.services.env.stagingBucket, ORG, runId);
    expect(snapshot.redriveCount).toBe(2);
  });

  it("sends nothing more when one attempt's failure is delivered again", async () => {
    const runId = ulid();
    await attempt(
      () =>
        service.start({
          organization: ORG,
          pipeline: PIPELINE,
          pipelineVersion: 1,
          runId,
          parameters: {},
          trigger: 'api',
        }),
      runId,
    );
    await attempt(() => service.redrive(ORG, runId), runId);
    const run = await handlerDeps(ORG).store.getRun(runId);
    const deliver = lambdaInvokeAdapter('control-on-failure', onFailure, 60);
    const failureOf = (redriveCount: number) => ({
      FunctionName: 'control-on-failure',
      Payload: {
        state: {
          runId,
          organization: ORG,
          error: { Error: run?.error?.name ?? 'Error', Cause: run?.error?.message ?? '' },
        },
        execution: { Name: runId, RedriveCount: redriveCount },
      },
    });

    // At-least-once delivery: both attempts' OnFailure invocations arrive once more.
    await deliver(failureOf(1));
    await deliver(failureOf(0));
    await deliver(failureOf(1));

    expect((await alertsOf(runId)).map((alert) => alert.alertId).sort()).toHaveLength(2);
    expect((await mailsOf(runId)).map((mail) => mail.idempotencyKey).sort()).toStrictEqual([
      `${runId}.1:failure`,
      `${runId}:failure`,
    ]);
  });
});
