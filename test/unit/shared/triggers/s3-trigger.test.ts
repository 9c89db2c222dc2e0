import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InvalidEventError } from '../../../../shared/errors.ts';
import { PipelineSchema } from '../../../../shared/spec/schema.ts';
import { PipelineStore } from '../../../../shared/store/pipeline-store.ts';
import { TriggerClaims } from '../../../../shared/triggers/claims.ts';
import { handleObjectCreated, type S3TriggerDeps } from '../../../../shared/triggers/s3-trigger.ts';
import {
  pipelineSourceFromStore,
  triggerTargetsFromStore,
} from '../../../../shared/triggers/store-adapters.ts';
import { type LocalTable, startLocalTable, TABLE } from '../connections/dynalite.ts';
import { RecordingExecutions } from './recording-executions.ts';

let table: LocalTable;
let executions: RecordingExecutions;
let deps: S3TriggerDeps;
let runs = 0;

function pipeline(id: string, prefix: string) {
  return PipelineSchema.parse({
    id,
    name: id,
    nodes: [
      { id: 'landing', type: 'extractor', module: 's3-csv', config: { bucket: 'landing', prefix: prefix } },
      { id: 'curated', type: 'loader', module: 's3-parquet', config: { bucket: 'data', prefix: 'out/' } },
    ],
    edges: [{ source: 'landing', target: 'curated' }],
    triggers: [{ type: 's3', bucket: 'landing', prefix }],
  });
}

function objectCreated(key: string, etag: string | undefined, versionId?: string) {
  return {
    version: '0',
    id: 'c7ab1e6a-0000-4000-8000-000000000000',
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: '123456789012',
    time: '2026-11-26T00:00:00Z',
    region: 'us-east-1',
    resources: ['arn:aws:s3:::landing'],
    detail: {
      version: '0',
      bucket: { name: 'landing' },
      object: {
        key,
        size: 120,
        ...(etag === undefined ? {} : { etag }),
        ...(versionId === undefined ? {} : { 'version-id': versionId }),
        sequencer: '00617F08299329D189',
      },
      'request-id': 'N4N7GDK58NMKJ12R',
      requester: '123456789012',
      'source-ip-address': '1.2.3.4',
      reason: 'PutObject',
    },
  };
}

beforeAll(async () => {
  table = await startLocalTable();
  await new PipelineStore(table.client, TABLE, 'acme').create(
    'orders',
    pipeline('orders', 'orders/'),
    'alice',
  );
  await new PipelineStore(table.client, TABLE, 'globex').create('all', pipeline('all', ''), 'bob');
});
afterAll(() => table.close());

beforeEach(() => {
  executions = new RecordingExecutions();
  deps = {
    targets: triggerTargetsFromStore(table.client, TABLE),
    pipelines: pipelineSourceFromStore(table.client, TABLE),
    executions,
    claims: new TriggerClaims(table.client, TABLE),
    newRunId: () => `01RUN${String(++runs).padStart(21, '0')}`,
  };
});

describe('handleObjectCreated', () => {
  it('starts one run per matching pipeline, with the object as parameters', async () => {
    const started = await handleObjectCreated(objectCreated('orders/2026-11-26.csv', 'e1'), deps);

    expect(started.map((run) => `${run.organization}/${run.pipelineId}`).sort()).toStrictEqual([
      'acme/orders',
      'globex/all',
    ]);
    const acme = executions.started.find((request) => request.organization === 'acme');
    expect(acme).toMatchObject({
      pipelineVersion: 1,
      trigger: 's3',
      parameters: { s3_bucket: 'landing', s3_key: 'orders/2026-11-26.csv', s3_etag: 'e1' },
    });
    expect(acme?.pipeline.id).toBe('orders');
  });

  it('starts one run when the same event arrives three times', async () => {
    const event = objectCreated('orders/sequential.csv', 'e2');

    for (let i = 0; i < 3; i++) await handleObjectCreated(event, deps);

    expect(executions.started.filter((request) => request.organization === 'acme')).toHaveLength(1);
    expect(executions.started).toHaveLength(2);
  });

  it('starts one run when three copies of the event arrive at once', async () => {
    const event = objectCreated('orders/concurrent.csv', 'e3');

    const results = await Promise.all([1, 2, 3].map(() => handleObjectCreated(event, deps)));

    expect(executions.started.filter((request) => request.organization === 'acme')).toHaveLength(1);
    expect(results.flat().filter((run) => run.runId !== undefined)).toHaveLength(2);
  });

  it('starts again for a new version of the same key', async () => {
    await handleObjectCreated(objectCreated('orders/versioned.csv', 'same', 'v1'), deps);
    await handleObjectCreated(objectCreated('orders/versioned.csv', 'same', 'v2'), deps);
    await handleObjectCreated(objectCreated('orders/versioned.csv', 'same', 'v2'), deps);

    const keys = executions.started.filter((request) => request.organization === 'acme');
    expect(keys.map((request) => request.parameters.s3_version_id)).toStrictEqual(['v1', 'v2']);
  });

  it('starts nothing for a key outside every trigger prefix but the catch-all', async () => {
    await handleObjectCreated(objectCreated('invoices/x.csv', 'e4'), deps);

    expect(executions.started.map((request) => request.organization)).toStrictEqual(['globex']);
  });

  it('lets a redelivery start the run when starting it failed', async () => {
    const event = objectCreated('orders/retried.csv', 'e5');
    executions.failNext = 1;

    await expect(handleObjectCreated(event, deps)).rejects.toThrow('StartExecution throttled');
    await handleObjectCreated(event, deps);
    await handleObjectCreated(event, deps);

    expect(executions.started.filter((request) => request.organization === 'acme')).toHaveLength(1);
  });

  it('fails when the event has neither version-id nor etag', async () => {
    const event = objectCreated('orders/anonymous.csv', undefined);

    await expect(handleObjectCreated(event, deps)).rejects.toThrow(InvalidEventError);
    await expect(handleObjectCreated(event, deps)).rejects.toThrow('has neither version-id nor etag');
  });

  it('fails when the event is not an Object Created event', async () => {
    const event = { ...objectCreated('orders/x.csv', 'e6'), 'detail-type': 'Object Deleted' };

    await expect(handleObjectCreated(event, deps)).rejects.toThrow(InvalidEventError);
  });
});
