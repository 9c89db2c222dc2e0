/** Run detail retention: node, chunk and lineage items carry a TTL, the run item does not. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbClient } from '../../../../shared/aws/clients.ts';
import { ConfigError } from '../../../../shared/errors.ts';
import { LineageStore } from '../../../../shared/lineage/lineage-store.ts';
import {
  RETENTION_DEFAULTS,
  runDetailExpiry,
  runDetailRetentionDays,
} from '../../../../shared/store/retention.ts';
import { RunStore } from '../../../../shared/store/run-store.ts';
import { metadataTableDefinition } from '../../../../shared/store/table-definition.ts';

const TABLE = 'etl-retention-test';
const ORG = 'acme';
const NOW = new Date('2025-03-01T12:00:00.000Z');
const NOW_SECONDS = NOW.getTime() / 1000;
const DAY = 24 * 3600;

let server: Server;
let client: DynamoDBDocumentClient;

beforeAll(async () => {
  server = dynalite({ createTableMs: 0 });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done());
  });
  const { port } = server.address() as AddressInfo;
  client = createDynamoDbClient({ region: 'us-east-1', dynamoDbEndpoint: `http://127.0.0.1:${port}` });
  await client.send(new CreateTableCommand(metadataTableDefinition(TABLE)));
});

afterAll(async () => {
  client?.destroy();
  await new Promise<void>((done) => server.close(() => done()));
});

/** Every item of a partition, keys and TTL included, as the table holds them. */
async function rawItems(pk: string): Promise<Record<string, unknown>[]> {
  const result = await client.send(
    new QueryCommand({
      TableName: TABLE,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
    }),
  );
  return result.Items ?? [];
}

async function recordedRun(store: RunStore, runId: string): Promise<void> {
  await store.startRun(
    {
      runId,
      pipelineId: 'birdstrikes',
      pipelineName: 'Bird strikes',
      status: 'running',
      trigger: 'manual',
      parameters: {},
      startedAt: NOW.toISOString(),
    },
    [
      { nodeId: 'strikes', module: 's3-csv' },
      { nodeId: 'curated', module: 's3-parquet' },
    ],
  );
  const counters = {
    rowsIn: 10,
    rowsOut: 10,
    rowsRejected: 0,
    rowsFiltered: 0,
    durationMs: 5,
    bytesOut: 100,
  };
  await store.recordChunk(runId, 'strikes', { chunkIndex: 0, ...counters });
  await store.recordChunk(runId, 'strikes', { chunkIndex: 1, ...counters });
  await store.recordNodeFailure(runId, 'curated', { name: 'DiskFull', message: 'disk full' });
}

describe('run detail retention', () => {
  it('sets expiresAt on node runs and chunk counters, retention days after the write', async () => {
    const store = new RunStore(client, TABLE, ORG, { retentionDays: 30, now: () => NOW });

    await recordedRun(store, '01JRETENTION000000000000001');

    const detail = await rawItems(`ORG#${ORG}#RUN#01JRETENTION000000000000001`);
    expect(detail.map((item) => item.sk).sort()).toStrictEqual([
      'CHUNK#strikes#00000',
      'CHUNK#strikes#00001',
      'NODE#curated',
      'NODE#strikes',
    ]);
    for (const item of detail) expect(item.expiresAt, String(item.sk)).toBe(NOW_SECONDS + 30 * DAY);
  });

  it('keeps the expiry on node runs that finishRun rewrites', async () => {
    const store = new RunStore(client, TABLE, ORG, { retentionDays: 7, now: () => NOW });
    await recordedRun(store, '01JRETENTION000000000000002');

    await store.finishRun('01JRETENTION000000000000002', 'failed', NOW.toISOString());

    const nodes = (await rawItems(`ORG#${ORG}#RUN#01JRETENTION000000000000002`)).filter((item) =>
      String(item.sk).startsWith('NODE#'),
    );
    expect(nodes.map((item) => item.expiresAt)).toStrictEqual([NOW_SECONDS + 7 * DAY, NOW_SECONDS + 7 * DAY]);
  });

  it('never sets expiresAt on the run summary, so runs stay listed', async () => {
    const store = new RunStore(client, TABLE, ORG, { retentionDays: 30, now: () => NOW });
    await recordedRun(store, '01JRETENTION000000000000003');

    await store.finishRun('01JRETENTION000000000000003', 'failed', NOW.toISOString());

    const summary = (await rawItems(`ORG#${ORG}`)).find(
      (item) => item.sk === 'RUN#01JRETENTION000000000000003',
    );
    expect(summary?.status).toBe('failed');
    expect(summary).not.toHaveProperty('expiresAt');
  });

  it('leaves expiresAt out of what the store returns', async () => {
    const store = new RunStore(client, TABLE, ORG, { retentionDays: 30, now: () => NOW });
    await recordedRun(store, '01JRETENTION000000000000004');

    const nodes = await store.getNodeRuns('01JRETENTION000000000000004');
    const chunks = await store.getChunkMetrics('01JRETENTION000000000000004');

    for (const record of [...nodes, ...chunks]) expect(record).not.toHaveProperty('expiresAt');
  });

  it('sets expiresAt on lineage items', async () => {
    const lineage = new LineageStore(client, TABLE, ORG, 14);
    const before = Math.floor(Date.now() / 1000);

    await lineage.put('01JRETENTION000000000000005', [
      { nodeId: 'strikes', module: 's3-csv', inputs: [], columns: [] },
    ]);

    const [item] = await rawItems(`ORG#${ORG}#RUN#01JRETENTION000000000000005`);
    expect(item?.sk).toBe('LINEAGE#strikes');
    expect(item?.expiresAt).toBeGreaterThanOrEqual(before + 14 * DAY);
    expect(item?.expiresAt).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 14 * DAY);
    expect(await lineage.list('01JRETENTION000000000000005')).toStrictEqual([
      { nodeId: 'strikes', module: 's3-csv', inputs: [], columns: [] },
    ]);
  });
});

describe('runDetailRetentionDays', () => {
  it('defaults to 90 days', () => {
    expect(runDetailRetentionDays({})).toBe(RETENTION_DEFAULTS.runDetailDays);
    expect(RETENTION_DEFAULTS.runDetailDays).toBe(90);
  });

  it('reads ETL_RUN_DETAIL_RETENTION_DAYS', () => {
    expect(runDetailRetentionDays({ ETL_RUN_DETAIL_RETENTION_DAYS: '400' })).toBe(400);
  });

  it('fails when ETL_RUN_DETAIL_RETENTION_DAYS is not a positive whole number', () => {
    for (const value of ['0', '-3', '1.5', 'forever']) {
      expect(() => runDetailRetentionDays({ ETL_RUN_DETAIL_RETENTION_DAYS: value }), value).toThrow(
        ConfigError,
      );
    }
  });

  it('counts the expiry in epoch seconds from the write', () => {
    expect(runDetailExpiry(1, NOW)).toBe(NOW_SECONDS + DAY);
  });
});
