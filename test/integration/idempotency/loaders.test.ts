/**
 * The S3 file, DynamoDB and webhook loaders under duplicate delivery,
 * against s3rver, dynalite and a webhook receiver on 127.0.0.1: chunk loads
 * and commits delivered again and several at once leave one copy of every
 * row at the destination, and the webhook receives every batch in exactly
 * one POST.
 */
import { CreateTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dynamoDbConnector } from '../../../functions/connectors/dynamodb/client.ts';
import { listObjects } from '../../../shared/aws/s3-objects.ts';
import type { RunContext } from '../../../shared/lambda/events.ts';
import { loadFunctionHandler } from '../../../shared/runtime/function-handlers.ts';
import { ensureBucket } from '../../../shared/runtime/local-services.ts';
import { downloadPrefix, stageSourceChunk, testRun } from '../connectors/outputs.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../connectors/webhook-receiver.ts';
import { queryDirectly, startTestEnvironment, type TestEnvironment } from '../harness.ts';
import { addConnection, uniqueName } from '../sql-connectors-fixtures.ts';
import { type Delivery, deliverConcurrently, idempotencyRecords, invoker } from './deliveries.ts';

const BUCKET = 'idempotent-loads';
const CHUNK_ROWS = 250;

let env: TestEnvironment;

async function stagedChunks(run: RunContext) {
  const chunks = [];
  for (const index of [0, 1]) {
    chunks.push(
      await stageSourceChunk(
        env,
        run,
        index,
        `SELECT ${index} * 1000 + range AS id, 'row ' || range AS label FROM range(${CHUNK_ROWS})`,
      ),
    );
  }
  return chunks;
}

/** Chunk 0 delivered twice at once, chunk 1 twice in a row; then `commits` copies of the commit at once. */
async function deliverLoadAndCommit(
  module: string,
  run: RunContext,
  node: { id: string; module: string; config: string },
  commits: number,
): Promise<{ loads: Delivery[]; commits: Delivery[] }> {
  const [first, second] = await stagedChunks(run);
  const deliver = invoker(module, await loadFunctionHandler(module));
  const loads = [
    ...(await deliverConcurrently(deliver, { action: 'load', run, node, chunk: first }, 2)),
    await deliver({ action: 'load', run, node, chunk: second }),
    await deliver({ action: 'load', run, node, chunk: second }),
  ];
  const commit = { action: 'commit', run, node, maxRejectRatio: 1 };
  return {
    loads,
    commits: [...(await deliverConcurrently(deliver, commit, commits)), await deliver(commit)],
  };
}

function errorsOf(deliveries: readonly Delivery[]): (string | undefined)[] {
  return deliveries.map((delivery) => delivery.errorMessage);
}

beforeAll(async () => {
  env = await startTestEnvironment();
  await ensureBucket(env.services.s3, BUCKET);
});
afterAll(() => env?.close());

describe.each([
  ['s3-parquet', 'parquet', 'read_parquet'],
  ['s3-csv-load', 'csv', 'read_csv'],
  ['s3-json-load', 'json', 'read_ndjson'],
])('%s delivered more than once', (module, extension, reader) => {
  it('publishes each chunk once and every row once', async () => {
    const run = testRun(`dup-${module}`);
    const prefix = `${module}/`;
    const node = { id: 'out', module, config: JSON.stringify({ bucket: BUCKET, prefix }) };

    const { loads, commits } = await deliverLoadAndCommit(module, run, node, 3);

    expect(errorsOf([...loads, ...commits])).toStrictEqual(
      Array(loads.length + commits.length).fill(undefined),
    );
    const published = await downloadPrefix(env, BUCKET, prefix);
    const files = published.keys.filter((key) => !key.startsWith('_manifests/'));
    expect(files).toHaveLength(2);
    for (const file of files) expect(file.endsWith(extension), file).toBe(true);
    const [counts] = await queryDirectly(
      `SELECT count(*) AS total, count(DISTINCT id) AS ids FROM ${reader}('${published.folder}/*.${extension}')`,
    );
    expect([Number(counts?.total), Number(counts?.ids)]).toStrictEqual([2 * CHUNK_ROWS, 2 * CHUNK_ROWS]);
  });
});

describe('dynamodb-load delivered more than once', () => {
  it('writes one item per row', async () => {
    const table = uniqueName('dup_items');
    await dynamoDbConnector().client.send(
      new CreateTableCommand({
        TableName: table,
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const node = { id: 'items', module: 'dynamodb-load', config: JSON.stringify({ table }) };

    const { loads, commits } = await deliverLoadAndCommit('dynamodb-load', testRun('dup-dynamodb'), node, 3);

    expect(errorsOf([...loads, ...commits])).toStrictEqual(
      Array(loads.length + commits.length).fill(undefined),
    );
    for (const commit of commits) expect(commit.payload).toMatchObject({ rows: 2 * CHUNK_ROWS });
    const scan = await dynamoDbConnector().client.send(
      new ScanCommand({ TableName: table, Select: 'COUNT' }),
    );
    expect(scan.Count).toBe(2 * CHUNK_ROWS);
  });
});

describe('webhook delivered more than once', () => {
  const BATCH = 50;
  const BATCHES = (2 * CHUNK_ROWS) / BATCH;
  let receiver: WebhookReceiver;
  let connection: string;

  function hookNode() {
    return {
      id: 'hook',
      module: 'webhook',
      config: JSON.stringify({ connection, batch_size: BATCH, max_attempts: 1 }),
    };
  }

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    connection = uniqueName('hook');
    await addConnection(
      connection,
      'http',
      { base_url: receiver.baseUrl, auth: 'bearer', allow_private_network: true },
      `tok-${uniqueName('hook')}`,
    );
  });
  afterAll(() => receiver?.close());
  beforeEach(() => receiver.reset());

  it('POSTs every batch once when copies of the commit arrive at once and again later', async () => {
    const run = testRun('dup-webhook');

    const { loads, commits } = await deliverLoadAndCommit('webhook', run, hookNode(), 4);

    expect(errorsOf(loads)).toStrictEqual([undefined, undefined, undefined, undefined]);
    // Copies that lost the race were told to retry (what the state machine's Retry does), not failed.
    const deliver = invoker('webhook', await loadFunctionHandler('webhook'));
    const held = commits.filter((commit) => commit.errorName !== undefined);
    for (const commit of held) expect(commit.errorName, commit.errorMessage).toBe('TransientError');
    const retried = await Promise.all(
      held.map(() => deliver({ action: 'commit', run, node: hookNode(), maxRejectRatio: 1 })),
    );
    for (const answer of [...commits.filter((commit) => commit.errorName === undefined), ...retried]) {
      expect(answer.payload).toMatchObject({ rows: 2 * CHUNK_ROWS, files: BATCHES });
    }
    expect(held.length).toBeGreaterThanOrEqual(1);
    expect(receiver.requests).toHaveLength(BATCHES);
    expect(receiver.accepted.size).toBe(BATCHES);
    const records = await idempotencyRecords(env, 'local', 'commit-webhook');
    expect(records.map((record) => record.status)).toStrictEqual(['COMPLETED']);
  });

  it('sends the rest, once, when a commit that failed mid-way is delivered again', async () => {
    const run = testRun('dup-webhook-resume');
    const [first, second] = await stagedChunks(run);
    const deliver = invoker('webhook', await loadFunctionHandler('webhook'));
    for (const chunk of [first, second]) await deliver({ action: 'load', run, node: hookNode(), chunk });
    const commit = { action: 'commit', run, node: hookNode(), maxRejectRatio: 1 };
    receiver.breakAfter(3, 503);

    const failed = await deliver(commit);
    receiver.heal();
    const resumed = await deliverConcurrently(deliver, commit, 2);
    const again = await deliver(commit);

    // The failed delivery kept no record: the next one did the rest rather than answer "done".
    expect(failed.errorMessage).toMatch(/node hook \(webhook\): webhook batch 3 of chunk 0/);
    for (const answer of [...resumed, again].filter((delivery) => delivery.errorName === undefined)) {
      expect(answer.payload).toMatchObject({ rows: 2 * CHUNK_ROWS, files: BATCHES });
    }
    // 3 accepted, 1 refused, then the 7 left: none twice.
    expect(receiver.requests).toHaveLength(BATCHES + 1);
    expect(receiver.accepted.size).toBe(BATCHES);
  });
});

describe('published objects of the duplicated runs', () => {
  it('hold no second manifest per run', async () => {
    const manifests = (await listObjects(env.services.s3, BUCKET, '')).filter((object) =>
      object.key.includes('/_manifests/'),
    );
    expect(manifests).toHaveLength(3);
  });
});
