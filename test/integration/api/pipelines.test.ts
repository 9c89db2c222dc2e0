/**
 * The pipeline lifecycle through real HTTP against `etl serve`: create, list,
 * get, update to version 2, a stale update refused, versions, validate,
 * delete; every response checked against the OpenAPI document.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness.ts';
import type { ApiClient } from './api-client.ts';
import { type ServeFixture, startServeFixture } from './serve-fixture.ts';

let fixture: ServeFixture;
let developer: ApiClient;
let example: Record<string, unknown>;

beforeAll(async () => {
  fixture = await startServeFixture({ triggers: false });
  developer = await fixture.client('developer');
  example = JSON.parse(await readFile(join(REPO_ROOT, 'examples/birdstrikes/pipeline.json'), 'utf8'));
});
afterAll(() => fixture.close());

describe('the OpenAPI document', () => {
  it('is served without a token and is a valid OpenAPI 3.1 document', async () => {
    const response = await fetch(`${fixture.server.url}/api/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string };
    expect(document.openapi).toBe('3.1.0');
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });
});

describe('the pipeline lifecycle', () => {
  const id = 'birdstrikes';

  it('creates, lists, reads, versions, validates and deletes a pipeline', async () => {
    const created = await developer.call('POST', '/pipelines', { body: { ...example, id } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id, version: 1, createdBy: 'developer-user' });
    expect(created.body.pipeline.nodes[0].position).toStrictEqual({ x: 0, y: 100 });

    const duplicate = await developer.call('POST', '/pipelines', { body: { ...example, id } });
    expect(duplicate.status).toBe(409);
    expect(duplicate.headers.get('content-type')).toBe('application/problem+json');

    const listed = await developer.call('GET', '/pipelines');
    expect(listed.status).toBe(200);
    expect(listed.body.items).toStrictEqual([
      expect.objectContaining({ id, name: example.name, version: 1, updatedBy: 'developer-user' }),
    ]);

    const read = await developer.call('GET', '/pipelines/{id}', { params: { id } });
    expect(read.body).toMatchObject({ id, version: 1 });

    const renamed = { ...example, id, name: 'birdstrikes, renamed' };
    const updated = await developer.call('PUT', '/pipelines/{id}', {
      params: { id },
      body: { pipeline: renamed, expectedVersion: 1 },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id, version: 2, pipeline: { name: 'birdstrikes, renamed' } });

    const stale = await developer.call('PUT', '/pipelines/{id}', {
      params: { id },
      body: { pipeline: { ...renamed, name: 'lost update' }, expectedVersion: 1 },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.type).toBe('https://etl.dev/problems/conflict');

    const versions = await developer.call('GET', '/pipelines/{id}/versions', { params: { id } });
    expect(versions.body.items.map((item: { version: number }) => item.version)).toStrictEqual([2, 1]);
    const first = await developer.call('GET', '/pipelines/{id}/versions/{version}', {
      params: { id, version: 1 },
    });
    expect(first.body).toMatchObject({ version: 1, pipeline: { name: example.name } });
    const latest = await developer.call('GET', '/pipelines/{id}', { params: { id } });
    expect(latest.body).toMatchObject({ version: 2, pipeline: { name: 'birdstrikes, renamed' } });

    const deleted = await developer.call('DELETE', '/pipelines/{id}', { params: { id } });
    expect(deleted.status).toBe(204);
    expect((await developer.call('GET', '/pipelines/{id}', { params: { id } })).status).toBe(404);
    expect((await developer.call('GET', '/pipelines/{id}/versions', { params: { id } })).status).toBe(404);
    expect((await developer.call('DELETE', '/pipelines/{id}', { params: { id } })).status).toBe(404);
  });

  it('validates: every problem with a pointer, and the ASL only when valid', async () => {
    const valid = await developer.call('POST', '/validate', { body: example });
    expect(valid.body.valid).toBe(true);
    expect(valid.body.errors).toStrictEqual([]);
    expect(valid.body.asl).toMatchObject({ StartAt: expect.any(String), States: expect.any(Object) });

    const broken = structuredClone(example) as {
      nodes: { module: string; config: Record<string, unknown> }[];
    };
    (broken.nodes[1] as { config: Record<string, unknown> }).config = { expression: 'SELECT FROM WHERE (' };
    (broken.nodes[2] as { module: string }).module = 'cleen';
    const invalid = await developer.call('POST', '/validate', { body: { ...broken, extra: true } });
    expect(invalid.status).toBe(200);
    expect(invalid.body.valid).toBe(false);
    expect(invalid.body.asl).toBeUndefined();
    const pointers = invalid.body.errors.map((error: { pointer: string }) => error.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/nodes/1/config/expression', '/nodes/2/module', '']));
  });

  it('answers an invalid pipeline 422 with pointers, and refuses mass-assigned fields', async () => {
    const missingId = await developer.call('POST', '/pipelines', { body: { ...example } });
    expect(missingId.status).toBe(422);
    expect(missingId.body.errors).toContainEqual(expect.objectContaining({ pointer: '/id' }));

    const smuggled = await developer.call('POST', '/pipelines', {
      body: { ...example, id: 'smuggled', organization: 'other', version: 7, author: 'mallory', status: 'x' },
    });
    expect(smuggled.status).toBe(422);
    expect(smuggled.body.errors[0].message).toMatch(/unknown field: organization, version, author, status/);

    await developer.call('POST', '/pipelines', { body: { ...example, id: 'kept' } });
    const sneaky = await developer.call('PUT', '/pipelines/{id}', {
      params: { id: 'kept' },
      body: {
        pipeline: { ...example, id: 'kept' },
        expectedVersion: 1,
        organization: 'other',
        createdBy: 'x',
      },
    });
    expect(sneaky.status).toBe(400);
    const broken = await developer.call('PUT', '/pipelines/{id}', {
      params: { id: 'kept' },
      body: { pipeline: { ...example, nodes: [] }, expectedVersion: 1 },
    });
    expect(broken.status).toBe(422);
    expect(broken.body.errors).toContainEqual(expect.objectContaining({ pointer: '/pipeline/nodes' }));
    const renamedId = await developer.call('PUT', '/pipelines/{id}', {
      params: { id: 'kept' },
      body: { pipeline: { ...example, id: 'other-id' }, expectedVersion: 1 },
    });
    expect(renamedId.status).toBe(422);
    expect(renamedId.body.errors).toContainEqual(expect.objectContaining({ pointer: '/pipeline/id' }));
  });

  it('pages through pipelines with an opaque cursor and refuses a forged one', async () => {
    for (let index = 0; index < 5; index++) {
      await developer.call('POST', '/pipelines', { body: { ...example, id: `paged-${index}` } });
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await developer.call('GET', '/pipelines', { query: { limit: 2, cursor } });
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((item: { id: string }) => item.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.filter((id) => id.startsWith('paged-'))).toStrictEqual(
      [0, 1, 2, 3, 4].map((i) => `paged-${i}`),
    );

    const forged = Buffer.from(JSON.stringify({ pk: 'ORG#other', sk: 'PIPELINE#x' })).toString('base64url');
    const refused = await developer.call('GET', '/pipelines', { query: { cursor: forged } });
    expect(refused.status).toBe(400);
    expect((await developer.call('GET', '/pipelines', { query: { limit: 101 } })).status).toBe(400);
  });

  it('refuses bodies over 1 MB with 413, malformed JSON with 400, and a missing token with 401', async () => {
    const huge = await developer.call('POST', '/validate', {
      rawBody: JSON.stringify({ ...example, description: 'x'.repeat(1_100_000) }),
    });
    expect(huge.status).toBe(413);
    expect(huge.body.type).toBe('https://etl.dev/problems/payload-too-large');
    const malformed = await developer.call('POST', '/pipelines', { rawBody: '{"name": ' });
    expect(malformed.status).toBe(400);
    const anonymous = await fixture.anonymous.call('GET', '/pipelines');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const forged = await developer.call('GET', '/pipelines', { token: `${await fixture.token('admin')}x` });
    expect(forged.status).toBe(401);
  });

  it('lists the modules with their config schemas, and the caller', async () => {
    const modules = await developer.call('GET', '/modules');
    const csv = modules.body.items.find((module: { name: string }) => module.name === 's3-csv');
    expect(csv).toMatchObject({ kind: 'extractor', inputs: { min: 0, max: 0 }, barrier: false });
    expect(csv.configSchema.properties.bucket).toBeDefined();
    const me = await developer.call('GET', '/me');
    expect(me.body).toStrictEqual({ user: 'developer-user', org: 'acme', role: 'developer' });
    expect((await fixture.anonymous.call('GET', '/health')).body).toStrictEqual({ status: 'ok' });
  });
});
