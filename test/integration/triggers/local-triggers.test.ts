/**
 * `etl serve`'s S3 trigger end to end, nothing faked: an upload into the
 * local S3 becomes an Object Created event, matched through the pipeline
 * store's trigger index, started by the local execution service (the ASL
 * interpreter), and its success reaches the outbox through Finalize.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CopyObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbClient } from '../../../shared/aws/clients.ts';
import { LocalExecutionService } from '../../../shared/executions/local-execution-service.ts';
import { handlerDeps } from '../../../shared/lambda/deps.ts';
import type { OutboxEntry } from '../../../shared/notifications/outbox.ts';
import { PipelineSchema } from '../../../shared/spec/schema.ts';
import { AlertStore } from '../../../shared/store/alert-store.ts';
import { PipelineStore, PipelineTriggerIndex } from '../../../shared/store/pipeline-store.ts';
import { type LocalTriggers, startLocalTriggers } from '../../../shared/triggers/local-triggers.ts';
import { pipelineSourceFromStore, triggerTargetsFromStore } from '../../../shared/triggers/store-adapters.ts';
import { putLocalFile, SHARED_DATA, startTestEnvironment, type TestEnvironment } from '../harness.ts';

const ORG = 'acme';
const WEATHER = join(SHARED_DATA, 'weather.csv');

let env: TestEnvironment;
let executions: LocalExecutionService;
let triggers: LocalTriggers;
const errors: string[] = [];

beforeAll(async () => {
  env = await startTestEnvironment();
  const { env: handlerEnv } = env.services;
  const client = createDynamoDbClient(handlerEnv);
  const pipeline = PipelineSchema.parse({
    id: 'weather',
    name: 'Weather drops',
    nodes: [
      { id: 'drops', type: 'extractor', module: 's3-csv', config: { bucket: 'landing', prefix: 'weather/' } },
      {
        id: 'curated',
        type: 'loader',
        module: 's3-parquet',
        config: { bucket: 'curated', prefix: 'weather/' },
      },
    ],
    edges: [{ source: 'drops', target: 'curated' }],
    triggers: [{ type: 's3', bucket: 'landing', prefix: 'weather/' }],
    notifications: { on_success: [{ type: 'email', address: 'data-team@example.com' }] },
  });
  await new PipelineStore(client, handlerEnv.metadataTable, ORG).create('weather', pipeline, 'alice');
  executions = new LocalExecutionService(env.services);
  triggers = startLocalTriggers({
    services: env.services,
    targets: triggerTargetsFromStore(client, handlerEnv.metadataTable),
    schedules: new PipelineTriggerIndex(client, handlerEnv.metadataTable),
    executions,
    pipelines: pipelineSourceFromStore(client, handlerEnv.metadataTable),
    onError: (error, what) => errors.push(`${what}: ${String(error)}`),
  });
});

afterAll(async () => {
  await triggers?.stop();
  await executions?.drain();
  await env?.close();
});

async function settle(): Promise<void> {
  await triggers.idle();
  await executions.drain();
}

describe('startLocalTriggers', () => {
  it('runs the pipeline once for an upload under its prefix, and not for others', async () => {
    await putLocalFile(env, WEATHER, 'landing', 'weather/2012.csv');
    await putLocalFile(env, WEATHER, 'landing', 'elsewhere/2012.csv');
    await settle();

    const runs = await handlerDeps(ORG).store.listRuns(10);
    expect(errors).toStrictEqual([]);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      pipelineId: 'weather',
      pipelineVersion: 1,
      status: 'success',
      trigger: 's3',
      parameters: { s3_bucket: 'landing', s3_key: 'weather/2012.csv' },
    });
    const nodes = await handlerDeps(ORG).store.getNodeRuns(runs[0]?.runId ?? '');
    expect(nodes.find((node) => node.nodeId === 'curated')?.rowsIn).toBe(2922);
    const outbox = (await readFile(join(env.services.dataDir, 'outbox.jsonl'), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as OutboxEntry);
    expect(outbox.map((entry) => [entry.to, entry.idempotencyKey])).toStrictEqual([
      ['data-team@example.com', `${runs[0]?.runId}:success`],
    ]);
  });

  it('starts no second run when the same object version arrives again', async () => {
    // Identical bytes: the same ETag, so the same object version for an unversioned bucket.
    await putLocalFile(env, WEATHER, 'landing', 'weather/2012.csv');
    await settle();

    expect(await handlerDeps(ORG).store.listRuns(10)).toHaveLength(1);
  });

  it('runs the schedules of the store, re-read when a pipeline is saved', async () => {
    const client = createDynamoDbClient(env.services.env);
    const nightly = PipelineSchema.parse({
      id: 'nightly',
      name: 'Nightly',
      nodes: [
        {
          id: 'drops',
          type: 'extractor',
          module: 's3-csv',
          config: { bucket: 'landing', prefix: 'weather/' },
        },
        {
          id: 'curated',
          type: 'loader',
          module: 's3-parquet',
          config: { bucket: 'curated', prefix: 'nightly/' },
        },
      ],
      edges: [{ source: 'drops', target: 'curated' }],
      schedule: { cron: '30 3 * * MON-FRI' },
    });
    await new PipelineStore(client, env.services.env.metadataTable, ORG).create('nightly', nightly, 'alice');

    await triggers.refreshSchedules();

    const [schedule] = triggers.scheduled();
    expect(schedule).toMatchObject({ organization: ORG, pipelineId: 'nightly', cron: '30 3 * * MON-FRI' });
    const next = schedule?.nextRun ?? new Date(0);
    expect([next.getUTCHours(), next.getUTCMinutes()]).toStrictEqual([3, 30]);
    expect([1, 2, 3, 4, 5]).toContain(next.getUTCDay());
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(4 * 24 * 3600 * 1000);
  });

  it('raises a run_failed alert when a triggered run fails', async () => {
    await putLocalFile(env, join(SHARED_DATA, 'cars.json'), 'landing', 'weather/not-a-csv.csv');
    await settle();

    const runs = await handlerDeps(ORG).store.listRuns(10);
    const failed = runs.find((run) => run.parameters.s3_key === 'weather/not-a-csv.csv');
    expect(failed?.status).toBe('failed');
    const alerts = new AlertStore(
      createDynamoDbClient(env.services.env),
      env.services.env.metadataTable,
      ORG,
    );
    const open = await alerts.list({ resolved: false });
    expect(open.items.map((alert) => [alert.type, alert.runId])).toStrictEqual([
      ['run_failed', failed?.runId],
    ]);
  });

  it('reads the ETag of a copied object, which the local S3 leaves out of COPY events', async () => {
    await env.services.s3.send(
      new CopyObjectCommand({
        Bucket: 'landing',
        Key: 'weather/copied.csv',
        CopySource: 'landing/weather/2012.csv',
      }),
    );
    await settle();

    const runs = await handlerDeps(ORG).store.listRuns(10);
    const copied = runs.find((run) => run.parameters.s3_key === 'weather/copied.csv');
    expect(copied?.trigger).toBe('s3');
    expect(copied?.parameters.s3_etag).toMatch(/^[0-9a-f]{32}$/);
  });
});
