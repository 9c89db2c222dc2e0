/**
 * Run start under duplicate delivery, nothing faked: S3 Object Created events
 * and schedule ticks delivered again and several at once start real local
 * runs (the ASL interpreter through the local execution service) and each
 * upload version or tick yields exactly one run, one loaded copy of the data
 * and one success notification. The guard is the trigger claim
 * (shared/triggers/claims.ts), a conditional write per object version or tick.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbClient } from '../../../shared/aws/clients.ts';
import { listObjects } from '../../../shared/aws/s3-objects.ts';
import { LocalExecutionService } from '../../../shared/executions/local-execution-service.ts';
import { handlerDeps } from '../../../shared/lambda/deps.ts';
import { PipelineSchema } from '../../../shared/spec/schema.ts';
import { PipelineStore } from '../../../shared/store/pipeline-store.ts';
import { TriggerClaims } from '../../../shared/triggers/claims.ts';
import { handleObjectCreated, type S3TriggerDeps } from '../../../shared/triggers/s3-trigger.ts';
import { startScheduledRun } from '../../../shared/triggers/scheduled-run.ts';
import { pipelineSourceFromStore, triggerTargetsFromStore } from '../../../shared/triggers/store-adapters.ts';
import { putLocalFile, SHARED_DATA, startTestEnvironment, type TestEnvironment } from '../harness.ts';
import { outboxEntries } from './deliveries.ts';

const ORG = 'acme';
const WEATHER = join(SHARED_DATA, 'weather.csv');
const WEATHER_ROWS = 2922;

let env: TestEnvironment;
let executions: LocalExecutionService;
let deps: S3TriggerDeps;

function objectCreated(key: string, etag: string) {
  return {
    version: '0',
    id: `event-${etag}`,
    'detail-type': 'Object Created',
    source: 'aws.s3',
    detail: { bucket: { name: 'landing' }, object: { key, etag, size: 1 } },
  };
}

async function runsOf(pipelineId: string) {
  return (await handlerDeps(ORG).store.listRuns(100)).filter((run) => run.pipelineId === pipelineId);
}

async function publishedFiles(prefix: string): Promise<string[]> {
  return (await listObjects(env.services.s3, 'curated', prefix))
    .map((object) => object.key)
    .filter((key) => key.endsWith('.parquet'));
}

beforeAll(async () => {
  env = await startTestEnvironment();
  const { env: handlerEnv } = env.services;
  const client = createDynamoDbClient(handlerEnv);
  const store = new PipelineStore(client, handlerEnv.metadataTable, ORG);
  for (const id of ['dropped', 'nightly']) {
    await store.create(
      id,
      PipelineSchema.parse({
        id,
        name: id,
        nodes: [
          {
            id: 'drops',
            type: 'extractor',
            module: 's3-csv',
            config: { bucket: 'landing', prefix: `${id}/` },
          },
          {
            id: 'curated',
            type: 'loader',
            module: 's3-parquet',
            config: { bucket: 'curated', prefix: `${id}/` },
          },
        ],
        edges: [{ source: 'drops', target: 'curated' }],
        ...(id === 'dropped' ? { triggers: [{ type: 's3', bucket: 'landing', prefix: 'dropped/' }] } : {}),
        notifications: { on_success: [{ type: 'email', address: `${id}@example.com` }] },
      }),
      'alice',
    );
  }
  executions = new LocalExecutionService(env.services);
  deps = {
    targets: triggerTargetsFromStore(client, handlerEnv.metadataTable),
    pipelines: pipelineSourceFromStore(client, handlerEnv.metadataTable),
    executions,
    claims: new TriggerClaims(client, handlerEnv.metadataTable),
  };
  await putLocalFile(env, WEATHER, 'landing', 'dropped/2012.csv');
  await putLocalFile(env, WEATHER, 'landing', 'nightly/2012.csv');
});

afterAll(async () => {
  await executions?.drain();
  await env?.close();
});

describe('S3 trigger delivered more than once', () => {
  it('starts one run per object version, for repeats one after another and copies at once', async () => {
    const event = objectCreated('dropped/2012.csv', '"etag-1"');

    const first = await handleObjectCreated(event, deps);
    const repeat = await handleObjectCreated(event, deps);
    const copies = await Promise.all([1, 2, 3, 4].map(() => handleObjectCreated(event, deps)));
    await executions.drain();

    const started = [first, repeat, ...copies].flat().filter((run) => run.runId !== undefined);
    expect(started.map((run) => run.runId)).toStrictEqual([first[0]?.runId]);
    const runs = await runsOf('dropped');
    expect(runs.map((run) => [run.runId, run.status, run.trigger])).toStrictEqual([
      [first[0]?.runId, 'success', 's3'],
    ]);
    // One copy of the data: each chunk published once, every row once.
    const loaded = (await handlerDeps(ORG).store.getNodeRuns(runs[0]?.runId ?? '')).find(
      (node) => node.nodeId === 'curated',
    );
    expect(loaded?.rowsOut).toBe(WEATHER_ROWS);
    expect(await publishedFiles('dropped/')).toHaveLength(loaded?.chunks ?? -1);
    const notified = (await outboxEntries(env)).filter((entry) => entry.to === 'dropped@example.com');
    expect(notified).toHaveLength(1);
  });

  it('starts a second run for a new version of the same key, once', async () => {
    const event = objectCreated('dropped/2012.csv', '"etag-2"');

    await Promise.all([1, 2, 3].map(() => handleObjectCreated(event, deps)));
    await executions.drain();

    expect((await runsOf('dropped')).map((run) => run.status)).toStrictEqual(['success', 'success']);
  });
});

describe('schedule tick delivered more than once', () => {
  it('starts one run per pipeline and scheduled minute, however the tick is repeated', async () => {
    const tick = {
      organization: ORG,
      pipelineId: 'nightly',
      scheduledTime: new Date('2026-11-26T02:00:00Z'),
    };
    // Scheduler may deliver a tick late or twice; seconds within the minute are the same tick.
    const sameMinute = { ...tick, scheduledTime: new Date('2026-11-26T02:00:41Z') };

    const first = await startScheduledRun(tick, deps);
    const repeat = await startScheduledRun(tick, deps);
    const copies = await Promise.all(
      [tick, tick, sameMinute, sameMinute].map((copy) => startScheduledRun(copy, deps)),
    );
    await executions.drain();

    expect(first).toBeDefined();
    expect([repeat, ...copies]).toStrictEqual([undefined, undefined, undefined, undefined, undefined]);
    const runs = await runsOf('nightly');
    expect(runs.map((run) => [run.runId, run.status, run.trigger])).toStrictEqual([
      [first, 'success', 'schedule'],
    ]);
    const node = (await handlerDeps(ORG).store.getNodeRuns(first ?? '')).find((n) => n.nodeId === 'curated');
    expect(node?.rowsOut).toBe(WEATHER_ROWS);
    const notified = (await outboxEntries(env)).filter((entry) => entry.to === 'nightly@example.com');
    expect(notified).toHaveLength(1);
  });
});
