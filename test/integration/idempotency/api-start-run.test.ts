/**
 * Starting a run through the API under duplicate delivery, over real HTTP
 * against `etl serve`: requests that repeat one `Idempotency-Key` (one after
 * the other, or several at once) start one run and all learn its id; reusing
 * the key with other parameters is refused; requests without the header each
 * start a run, as before.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadFile } from '../../../shared/aws/s3-objects.ts';
import { ensureBucket } from '../../../shared/runtime/local-services.ts';
import type { ApiClient, ApiResponse } from '../api/api-client.ts';
import { type ServeFixture, startServeFixture } from '../api/serve-fixture.ts';
import { REPO_ROOT, SHARED_DATA } from '../harness.ts';

const ENDED = ['success', 'failed', 'cancelled', 'timeout'];
const PIPELINE = 'birdstrikes-once';

let fixture: ServeFixture;
let developer: ApiClient;

function start(key: string | undefined, parameters: Record<string, unknown> = { min_cost: 1 }) {
  return developer.call<{ runId?: string; detail?: string }>('POST', '/pipelines/{id}/runs', {
    params: { id: PIPELINE },
    body: { parameters },
    ...(key === undefined ? {} : { headers: { 'Idempotency-Key': key } }),
  });
}

async function runIds(): Promise<string[]> {
  const { body } = await developer.call('GET', '/runs', { query: { pipelineId: PIPELINE, limit: 100 } });
  return (body.items as { runId: string }[]).map((run) => run.runId).sort();
}

async function waitForEnd(runId: string): Promise<string> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const { body } = await developer.call('GET', '/runs/{runId}', { params: { runId } });
    if (ENDED.includes(body.status)) return body.status;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${body.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function startedId(response: ApiResponse<{ runId?: string }>): string {
  expect(response.status, JSON.stringify(response.body)).toBe(202);
  return response.body.runId ?? '';
}

beforeAll(async () => {
  fixture = await startServeFixture({ triggers: false });
  developer = await fixture.client('developer');
  await ensureBucket(fixture.server.services.s3, 'examples');
  await uploadFile(
    fixture.server.services.s3,
    join(SHARED_DATA, 'birdstrikes.csv'),
    'examples',
    'birdstrikes/birdstrikes.csv',
  );
  const example = JSON.parse(await readFile(join(REPO_ROOT, 'examples/birdstrikes/pipeline.json'), 'utf8'));
  const created = await developer.call('POST', '/pipelines', { body: { ...example, id: PIPELINE } });
  expect(created.status).toBe(201);
});
afterAll(() => fixture?.close());

describe('POST /pipelines/{id}/runs with an Idempotency-Key', () => {
  it('starts one run per key, however often and however concurrently the request is repeated', async () => {
    const first = startedId(await start('retry-after-timeout-1'));
    const repeated = startedId(await start('retry-after-timeout-1'));
    expect(repeated).toBe(first);

    const together = await Promise.all([1, 2, 3].map(() => start('sent-three-times-2')));
    // A copy that arrives while the first is still starting is told to retry (409), never given a new run.
    for (const response of together)
      expect([202, 409], JSON.stringify(response.body)).toContain(response.status);
    const winners = new Set(together.filter((r) => r.status === 202).map((r) => r.body.runId));
    expect(winners.size).toBe(1);
    const second = startedId(await start('sent-three-times-2'));
    expect(winners.has(second)).toBe(true);

    expect(await runIds()).toStrictEqual([first, second].sort());
    for (const runId of [first, second]) expect(await waitForEnd(runId)).toBe('success');
  });

  it('refuses a key reused with other parameters, naming the run it started', async () => {
    const first = startedId(await start('parameters-3', { min_cost: 1 }));
    const reused = await start('parameters-3', { min_cost: 2 });
    expect(reused.status).toBe(422);
    expect(reused.body.detail).toContain(first);
    // The first parameters with the same key still answer the first run.
    expect(startedId(await start('parameters-3', { min_cost: 1 }))).toBe(first);
    expect(await waitForEnd(first)).toBe('success');
  });

  it('rejects a malformed key before starting anything', async () => {
    const before = await runIds();
    const tooLong = await start('k'.repeat(256));
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.detail).toContain('Idempotency-Key');
    expect(await runIds()).toStrictEqual(before);
  });

  it('starts a run per request without the header', async () => {
    const before = await runIds();
    const a = startedId(await start(undefined));
    const b = startedId(await start(undefined));
    expect(a).not.toBe(b);
    expect(await runIds()).toStrictEqual([...before, a, b].sort());
    for (const runId of [a, b]) expect(await waitForEnd(runId)).toBe('success');
  });
});
