/**
 * The `webhook` loader against a local receiver, on real data (Seattle
 * weather, 2,922 rows in several chunks): every row arrives exactly once in
 * batches with idempotency keys and the connection's bearer token; 429 with
 * Retry-After and 500 are retried; a run that fails before Finalize sends
 * nothing; a Finalize that dies mid-way resumes without re-sending; the SSRF
 * guard refuses the metadata address before any request.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runPipelineLocally } from '../../../shared/runtime/run-local.ts';
import type { Pipeline } from '../../../shared/spec/schema.ts';
import { putLocalFile, queryDirectly, startTestEnvironment, type TestEnvironment } from '../harness.ts';
import { addConnection, uniqueName } from '../sql-connectors-fixtures.ts';
import { invokeLoader, stageSourceChunk, testRun } from './outputs.ts';
import { WEATHER_SOURCE, WEATHER_TYPED_COLUMNS, weatherLoadPipeline } from './weather-loads.ts';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.ts';

const BUCKET = 'webhook-source';
const TOKEN = `tok-${uniqueName('hook')}`;

let env: TestEnvironment;
let receiver: WebhookReceiver;
let connection: string;

function pipeline(load: Record<string, unknown>, failing = false): Pipeline {
  const hook = { module: 'webhook', connection, path: 'hooks/weather', ...load };
  return weatherLoadPipeline('webhook', BUCKET, { hook }, failing);
}

/** The accepted rows, written as NDJSON and compared with the source in DuckDB. */
async function compareWithSource(): Promise<{ extra: number; missing: number; rows: number }> {
  const path = join(env.scratch, `received-${Date.now()}.ndjson`);
  const rows = [...receiver.accepted.values()].flatMap((body) => JSON.parse(body) as unknown[]);
  await writeFile(path, rows.map((row) => JSON.stringify(row)).join('\n'));
  const source = `SELECT ${WEATHER_TYPED_COLUMNS} FROM read_csv('${WEATHER_SOURCE}')`;
  const received = `SELECT ${WEATHER_TYPED_COLUMNS} FROM read_ndjson('${path}')`;
  const [row] = await queryDirectly(`
    SELECT (SELECT count(*) FROM (${received} EXCEPT ALL ${source})) AS extra,
           (SELECT count(*) FROM (${source} EXCEPT ALL ${received})) AS missing,
           (SELECT count(*) FROM (${received})) AS rows`);
  return { extra: Number(row?.extra), missing: Number(row?.missing), rows: Number(row?.rows) };
}

beforeAll(async () => {
  env = await startTestEnvironment();
  receiver = await startWebhookReceiver();
  await putLocalFile(env, WEATHER_SOURCE, BUCKET, 'source/weather.csv');
  connection = uniqueName('hook');
  await addConnection(
    connection,
    'http',
    { base_url: receiver.baseUrl, auth: 'bearer', allow_private_network: true },
    TOKEN,
  );
});
afterAll(async () => {
  await receiver?.close();
  await env?.close();
});
beforeEach(() => receiver.reset());

describe('webhook loader', () => {
  it('delivers every row once, in batches keyed by run, node, chunk and batch, with the bearer token', async () => {
    const result = await runPipelineLocally(pipeline({ batch_size: 250 }), env.services);

    expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
    expect(await compareWithSource()).toStrictEqual({ extra: 0, missing: 0, rows: 2922 });
    expect(receiver.requests.length).toBe(receiver.accepted.size);
    for (const request of receiver.requests) {
      expect(request.path).toBe('/hooks/weather');
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['idempotency-key']).toMatch(new RegExp(`^${result.run.runId}:hook:\\d+:\\d+$`));
      expect((JSON.parse(request.body) as unknown[]).length).toBeLessThanOrEqual(250);
    }
  });

  it('retries a 429 with Retry-After and a 500, and still delivers each batch once', async () => {
    receiver.script({ status: 429, headers: { 'retry-after': '1' } }, { status: 500 });
    const startedAt = Date.now();

    const result = await runPipelineLocally(pipeline({ batch_size: 1000 }), env.services);

    expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1000);
    expect(receiver.requests.length).toBe(receiver.accepted.size + 2);
    expect(await compareWithSource()).toStrictEqual({ extra: 0, missing: 0, rows: 2922 });
  });

  it('sends nothing when the run fails before Finalize', async () => {
    const result = await runPipelineLocally(pipeline({}, true), env.services);

    expect(result.run.status).toBe('failed');
    expect(result.run.error?.nodeId).toBe('check');
    expect(receiver.requests).toStrictEqual([]);
  });

  it('resumes a Finalize that failed mid-way without re-sending the batches already delivered', async () => {
    const run = testRun('webhook-resume');
    const config = { connection, batch_size: 100, max_attempts: 1 };
    const node = { id: 'hook', module: 'webhook', config: JSON.stringify(config) };
    for (const index of [0, 1]) {
      const chunk = await stageSourceChunk(
        env,
        run,
        index,
        `SELECT ${index} * 1000 + range AS id FROM range(250)`,
      );
      await invokeLoader('webhook', { action: 'load', run, node, chunk });
    }
    const commit = { action: 'commit', run, node, maxRejectRatio: 1 };
    // Four batches go through (all three of chunk 0, the first of chunk 1), then the receiver fails.
    receiver.breakAfter(4, 503);

    const failed = await invokeLoader('webhook', commit).then(
      () => undefined,
      (error: unknown) => error,
    );
    receiver.heal();
    const resumed = await invokeLoader('webhook', commit);
    const again = await invokeLoader('webhook', commit);

    expect(String((failed as Error | undefined)?.message)).toMatch(
      /webhook batch 1 of chunk 1 \(rows 101-200\)/,
    );
    expect(resumed.Payload).toMatchObject({ rows: 500, files: 6 });
    expect(again.Payload).toMatchObject({ rows: 500, files: 6 });
    // 4 delivered, 1 refused, then only the 2 left: no batch was sent twice.
    expect(receiver.requests).toHaveLength(7);
    expect([...receiver.accepted.keys()]).toStrictEqual(
      ['0:0', '0:1', '0:2', '1:0', '1:1', '1:2'].map((suffix) => `${run.runId}:hook:${suffix}`),
    );
    const ids = [...receiver.accepted.values()].flatMap((body) =>
      (JSON.parse(body) as { id: number }[]).map((row) => row.id),
    );
    expect(ids).toStrictEqual([
      ...Array.from({ length: 250 }, (_, i) => i),
      ...Array.from({ length: 250 }, (_, i) => 1000 + i),
    ]);
  });

  it('refuses a connection to the cloud metadata address before any request', async () => {
    const metadata = uniqueName('meta');
    await addConnection(metadata, 'http', { base_url: 'http://169.254.169.254/latest/', auth: 'none' });
    const run = testRun('webhook-ssrf');
    const node = { id: 'hook', module: 'webhook', config: JSON.stringify({ connection: metadata }) };
    const chunk = await stageSourceChunk(env, run, 0, 'SELECT range AS id FROM range(3)');
    await invokeLoader('webhook', { action: 'load', run, node, chunk });
    const startedAt = performance.now();

    const error = await invokeLoader('webhook', { action: 'commit', run, node, maxRejectRatio: 1 }).then(
      () => undefined,
      (failure: unknown) => failure as Error,
    );

    expect(error?.name).toBe('SsrfBlockedError');
    expect(error?.message).toMatch(/169\.254\.169\.254.*cloud metadata/);
    expect(performance.now() - startedAt).toBeLessThan(500);
  });

  it('refuses a path that would carry the credentials to another origin', async () => {
    const run = testRun('webhook-origin');
    const node = {
      id: 'hook',
      module: 'webhook',
      config: JSON.stringify({ connection, path: 'http://example.com/x' }),
    };
    const chunk = await stageSourceChunk(env, run, 0, 'SELECT range AS id FROM range(3)');
    await invokeLoader('webhook', { action: 'load', run, node, chunk });

    const error = await invokeLoader('webhook', { action: 'commit', run, node, maxRejectRatio: 1 }).then(
      () => undefined,
      (failure: unknown) => failure as Error,
    );

    expect(error?.message).toMatch(/leaves the origin of connection/);
    expect(receiver.requests).toStrictEqual([]);
  });

  it('leaves the token in no run record, DynamoDB item, staged object or file but the encrypted secret store', async () => {
    // The receiver echoes the token in its 401: the error message must carry it redacted.
    receiver.script({
      status: 401,
      body: (request) => `bad token: ${String(request.headers.authorization)}`,
    });
    const run = testRun('webhook-secret');
    const node = { id: 'hook', module: 'webhook', config: JSON.stringify({ connection, max_attempts: 1 }) };
    const chunk = await stageSourceChunk(env, run, 0, 'SELECT range AS id FROM range(3)');
    await invokeLoader('webhook', { action: 'load', run, node, chunk });

    const refused = await invokeLoader('webhook', { action: 'commit', run, node, maxRejectRatio: 1 }).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    const client = new DynamoDBClient({
      region: env.services.env.region,
      endpoint: env.services.env.dynamoDbEndpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const items =
      (await client.send(new ScanCommand({ TableName: env.services.env.metadataTable }))).Items ?? [];
    client.destroy();
    const dataDir = env.services.dataDir;
    const files = (await readdir(dataDir, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name))
      .filter((path) => !relative(dataDir, path).startsWith('secrets'));

    expect(refused?.message).toMatch(/answered HTTP 401 \(check the credentials in the auth secret\)/);
    expect(receiver.requests.at(-1)?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(refused?.message).toContain('bad token: Bearer ***');
    expect(refused?.message).not.toContain(TOKEN);
    expect(items.length).toBeGreaterThan(0);
    expect(JSON.stringify(items)).not.toContain(TOKEN);
    expect(files.length).toBeGreaterThan(0);
    for (const path of files) expect((await readFile(path)).includes(TOKEN), path).toBe(false);
  });
});
