/** The notify function closes a timed-out run (which never reaches OnFailure): status, alert and outbox. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../../functions/control/notify.ts';
import { createDynamoDbClient } from '../../../shared/aws/clients.ts';
import { handlerDeps } from '../../../shared/lambda/deps.ts';
import { PipelineSchema } from '../../../shared/spec/schema.ts';
import { AlertStore } from '../../../shared/store/alert-store.ts';
import { PipelineStore } from '../../../shared/store/pipeline-store.ts';
import { startTestEnvironment, type TestEnvironment } from '../harness.ts';

const ORG = 'acme';
const RUN_ID = '01TIMEOUT0000000000000000A';

let env: TestEnvironment;

function timedOut(runId: string) {
  return {
    version: '0',
    id: '315c1398-40ff-a850-213b-158f73e60175',
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: '111122223333',
    time: '2026-11-26T01:00:00Z',
    region: 'eu-west-1',
    resources: [`arn:aws:states:eu-west-1:111122223333:execution:etl-acme-slow:${runId}`],
    detail: {
      executionArn: `arn:aws:states:eu-west-1:111122223333:execution:etl-acme-slow:${runId}`,
      stateMachineArn: 'arn:aws:states:eu-west-1:111122223333:stateMachine:etl-acme-slow',
      name: runId,
      status: 'TIMED_OUT',
      startDate: 1764118800000,
      stopDate: 1764122400000,
      input: JSON.stringify({
        runId,
        parameters: {},
        trigger: 'schedule',
        organization: ORG,
        pipelineVersion: 1,
      }),
      output: null,
    },
  };
}

beforeAll(async () => {
  env = await startTestEnvironment();
  const pipeline = PipelineSchema.parse({
    id: 'slow',
    name: 'Slow',
    nodes: [
      { id: 'orders', type: 'extractor', module: 's3-csv', config: { bucket: 'landing', prefix: 'orders/' } },
      { id: 'curated', type: 'loader', module: 's3-parquet', config: { bucket: 'data', prefix: 'orders/' } },
    ],
    edges: [{ source: 'orders', target: 'curated' }],
    notifications: { on_failure: [{ type: 'email', address: 'oncall@example.com' }] },
  });
  const client = createDynamoDbClient(env.services.env);
  await new PipelineStore(client, env.services.env.metadataTable, ORG).create('slow', pipeline, 'alice');
  await handlerDeps(ORG).store.startRun(
    {
      runId: RUN_ID,
      pipelineId: 'slow',
      pipelineName: 'Slow',
      pipelineVersion: 1,
      status: 'running',
      trigger: 'schedule',
      parameters: {},
      startedAt: '2026-11-26T00:00:00.000Z',
    },
    [
      { nodeId: 'orders', module: 's3-csv' },
      { nodeId: 'curated', module: 's3-parquet' },
    ],
  );
});
afterAll(() => env?.close());

describe('notify handler', () => {
  it('records the timeout, raises run_timeout and notifies once, however often the event arrives', async () => {
    const first = await handler(timedOut(RUN_ID), {} as Context);
    const second = await handler(timedOut(RUN_ID), {} as Context);

    expect(first).toStrictEqual({ runId: RUN_ID, recorded: true });
    expect(second).toStrictEqual({ runId: RUN_ID, recorded: false });
    expect((await handlerDeps(ORG).store.getRun(RUN_ID))?.status).toBe('timeout');
    const alerts = new AlertStore(
      createDynamoDbClient(env.services.env),
      env.services.env.metadataTable,
      ORG,
    );
    expect((await alerts.list()).items.map((alert) => [alert.type, alert.level])).toStrictEqual([
      ['run_timeout', 'critical'],
    ]);
    const outbox = (await readFile(join(env.services.dataDir, 'outbox.jsonl'), 'utf8')).trim().split('\n');
    expect(outbox).toHaveLength(1);
    expect(JSON.parse(outbox[0] ?? '{}')).toMatchObject({
      to: 'oncall@example.com',
      subject: `ETL run timed out: Slow (${RUN_ID})`,
      idempotencyKey: `${RUN_ID}:failure`,
    });
  });

  it('fails on an event that is not a timed-out execution', async () => {
    const event = { ...timedOut(RUN_ID), detail: { ...timedOut(RUN_ID).detail, status: 'SUCCEEDED' } };

    await expect(handler(event, {} as Context)).rejects.toThrow('control-notify received an invalid event');
  });
});
