/**
 * POST /translate through real HTTP against `etl serve`: the ASL of a valid
 * pipeline (the same POST /validate returns), a 422 problem with every
 * pointer for an invalid one. Every response checked against the OpenAPI document.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness.ts';
import type { ApiClient } from './api-client.ts';
import { type ServeFixture, startServeFixture } from './serve-fixture.ts';

let fixture: ServeFixture;
let viewer: ApiClient;
let example: Record<string, unknown>;

beforeAll(async () => {
  fixture = await startServeFixture({ triggers: false });
  viewer = await fixture.client('viewer');
  example = JSON.parse(await readFile(join(REPO_ROOT, 'examples/birdstrikes/pipeline.json'), 'utf8'));
});
afterAll(() => fixture.close());

describe('POST /translate', () => {
  it('answers the ASL of a valid pipeline, the same as POST /validate', async () => {
    const translated = await viewer.call('POST', '/translate', { body: example });
    expect(translated.status).toBe(200);
    expect(translated.body.asl).toMatchObject({ StartAt: expect.any(String), States: expect.any(Object) });
    const validated = await viewer.call('POST', '/validate', { body: example });
    expect(translated.body.asl).toStrictEqual(validated.body.asl);
  });

  it('answers an invalid pipeline 422 with every problem and its pointer', async () => {
    const broken = structuredClone(example) as {
      nodes: { module: string; config: Record<string, unknown> }[];
    };
    (broken.nodes[1] as { config: Record<string, unknown> }).config = { expression: 'SELECT FROM WHERE (' };
    (broken.nodes[2] as { module: string }).module = 'cleen';
    const invalid = await viewer.call('POST', '/translate', { body: { ...broken, extra: true } });
    expect(invalid.status).toBe(422);
    expect(invalid.headers.get('content-type')).toBe('application/problem+json');
    expect(invalid.body).toMatchObject({ type: 'https://etl.dev/problems/validation', status: 422 });
    const pointers = invalid.body.errors.map((error: { pointer: string }) => error.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/nodes/1/config/expression', '/nodes/2/module', '']));
    const validated = await viewer.call('POST', '/validate', { body: { ...broken, extra: true } });
    expect(invalid.body.errors).toStrictEqual(validated.body.errors);
  });

  it('POST /validate lists the nodes that end a stage, by module and by config, invalid or not', async () => {
    const checked = (id: string, check: 'unique' | 'not_null') => ({
      id,
      type: 'transformer',
      module: 'validate',
      config: { rules: [{ column: 'Airport Name', check }] },
    });
    const nodes = example.nodes as { id: string }[];
    const staged: Record<string, unknown> & { nodes: unknown[] } = {
      ...example,
      nodes: [
        ...nodes.slice(0, -1),
        checked('unique_airports', 'unique'),
        { id: 'latest', type: 'transformer', module: 'dedup', config: { keys: ['"Airport Name"'] } },
        checked('named_airports', 'not_null'),
        nodes.at(-1),
      ],
    };
    const ids = staged.nodes.map((node) => (node as { id: string }).id);
    staged.edges = ids.slice(1).map((target, index) => ({ source: ids[index], target }));

    const valid = await viewer.call('POST', '/validate', { body: staged });
    expect(valid.body).toMatchObject({ valid: true, errors: [] });
    // The unique rule makes its validate node a barrier; the not_null one stays chunk-local.
    expect(valid.body.barriers).toStrictEqual(['unique_airports', 'latest']);
    const invalid = await viewer.call('POST', '/validate', { body: { ...staged, extra: true } });
    expect(invalid.body).toMatchObject({ valid: false, barriers: ['unique_airports', 'latest'] });
    expect((await viewer.call('POST', '/validate', { body: example })).body.barriers).toStrictEqual([]);
  });

  it('answers a body that is not JSON 400', async () => {
    const malformed = await viewer.call('POST', '/translate', { rawBody: '{"nodes": [' });
    expect(malformed.status).toBe(400);
  });
});
