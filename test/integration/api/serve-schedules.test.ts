/**
 * `etl serve` runs a pipeline's schedule as soon as the API saves it, and
 * stops it when the pipeline goes, without waiting for the periodic re-read.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness.ts';
import { type ServeFixture, startServeFixture } from './serve-fixture.ts';

let fixture: ServeFixture;
let example: Record<string, unknown>;

beforeAll(async () => {
  fixture = await startServeFixture({ triggers: true });
  example = JSON.parse(
    await readFile(join(REPO_ROOT, 'test', 'fixtures', 'pipelines', 'valid.json'), 'utf8'),
  ) as Record<string, unknown>;
});
afterAll(() => fixture.close());

async function call(method: string, path: string, body?: unknown): Promise<Response> {
  const token = await fixture.token('developer');
  return fetch(`${fixture.server.url}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

const scheduled = () =>
  (fixture.server.triggers?.scheduled() ?? []).map(({ organization, pipelineId, cron }) => ({
    organization,
    pipelineId,
    cron,
  }));

describe('etl serve schedules', () => {
  it('schedules a pipeline when it is saved and unschedules it when it is deleted', async () => {
    const created = await call('POST', '/pipelines', {
      ...example,
      id: 'nightly',
      schedule: { cron: '0 3 * * *' },
    });

    expect(created.status).toBe(201);
    expect(scheduled()).toStrictEqual([{ organization: 'acme', pipelineId: 'nightly', cron: '0 3 * * *' }]);

    const updated = await call('PUT', '/pipelines/nightly', {
      pipeline: { ...example, schedule: { cron: '30 4 * * 1' } },
      expectedVersion: 1,
    });

    expect(updated.status).toBe(200);
    expect(scheduled()).toStrictEqual([{ organization: 'acme', pipelineId: 'nightly', cron: '30 4 * * 1' }]);

    const deleted = await call('DELETE', '/pipelines/nightly');

    expect(deleted.status).toBe(204);
    expect(scheduled()).toStrictEqual([]);
  });
});
