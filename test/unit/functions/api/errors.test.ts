import { describe, expect, it } from 'vitest';
import { createApi, toProblem } from '../../../../functions/api/app.ts';
import { ApiProblem } from '../../../../functions/api/problem.ts';
import { accessOf } from '../../../../functions/api/rbac.ts';
import { parameterErrors } from '../../../../functions/api/run-parameters.ts';
import { signLocalToken } from '../../../../shared/auth/local-tokens.ts';
import { RunNotFoundError, RunStateConflictError } from '../../../../shared/executions/errors.ts';
import { PipelineSchema } from '../../../../shared/spec/schema.ts';
import { InvalidCursorError } from '../../../../shared/store/cursor.ts';
import { PipelineConflictError, PipelineTooLargeError } from '../../../../shared/store/pipeline-store.ts';
import { stubDeps, TEST_KEY } from './stub-deps.ts';

const token = (role: 'admin' | 'developer' | 'viewer') =>
  signLocalToken(TEST_KEY, { user: 'u', org: 'acme', role });

describe('problem details', () => {
  it('have the RFC 9457 shape with the kind in the type', () => {
    const problem = new ApiProblem(422, 'validation', 'bad', [
      { pointer: '/nodes/0', message: 'm', code: 'c' },
    ]);
    expect(problem.toJSON()).toStrictEqual({
      type: 'https://etl.dev/problems/validation',
      title: 'The request is not valid',
      status: 422,
      detail: 'bad',
      errors: [{ pointer: '/nodes/0', message: 'm', code: 'c' }],
    });
  });

  it('come from the errors the stores and the executor throw', () => {
    expect(toProblem(new PipelineConflictError('x'))?.status).toBe(409);
    expect(toProblem(new RunStateConflictError('x'))?.status).toBe(409);
    expect(toProblem(new RunNotFoundError('acme', 'r1'))?.status).toBe(404);
    expect(toProblem(new PipelineTooLargeError('x'))?.status).toBe(413);
    expect(toProblem(new InvalidCursorError('x'))?.errors?.[0]?.pointer).toBe('/cursor');
    expect(toProblem(new Error('anything else'))).toBeUndefined();
  });

  it('answer an unexpected error 500 without its message', async () => {
    const logged: unknown[] = [];
    const app = createApi(
      stubDeps({ logger: { info: () => undefined, error: (...args) => logged.push(args) } }),
    );
    const response = await app.request('/pipelines/x', {
      headers: { authorization: `Bearer ${await token('viewer')}` },
    });
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const body = (await response.json()) as { detail: string };
    expect(body.detail).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
    expect(logged).toHaveLength(1);
  });
});

describe('request checks before any storage', () => {
  const app = createApi(stubDeps());

  it('401 without a token, 403 for a role below the route, 404 for an unknown route', async () => {
    expect((await app.request('/pipelines')).status).toBe(401);
    const forbidden = await app.request('/pipelines', {
      method: 'POST',
      headers: { authorization: `Bearer ${await token('viewer')}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(forbidden.status).toBe(403);
    const unknown = await app.request('/nowhere', {
      headers: { authorization: `Bearer ${await token('admin')}` },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/problem+json');
  });

  it('points at the query parameter that is wrong', async () => {
    const response = await app.request('/runs?limit=0&status=done', {
      headers: { authorization: `Bearer ${await token('viewer')}` },
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { pointer: string }[] };
    expect(body.errors.map((error) => error.pointer).sort()).toStrictEqual(['/limit', '/status']);
  });

  it('refuses a chunked body over the limit with 413', async () => {
    const small = createApi(stubDeps({ maxBodyBytes: 1000 }));
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(500)));
        controller.close();
      },
    });
    const response = await small.request('/validate', {
      method: 'POST',
      headers: { authorization: `Bearer ${await token('viewer')}`, 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
  });

  it('refuses a body that is not JSON with 415', async () => {
    const response = await app.request('/validate', {
      method: 'POST',
      headers: { authorization: `Bearer ${await token('viewer')}`, 'content-type': 'text/plain' },
      body: 'name: x',
    });
    expect(response.status).toBe(415);
    expect(((await response.json()) as { type: string }).type).toBe(
      'https://etl.dev/problems/unsupported-media-type',
    );
  });
});

describe('the RBAC table', () => {
  it('refuses a route it does not list', () => {
    expect(accessOf('get', '/pipelines')).toBe('viewer');
    expect(() => accessOf('PATCH', '/pipelines/{id}')).toThrow(/no entry in ROUTE_ACCESS/);
  });
});

describe('run parameters', () => {
  const pipeline = PipelineSchema.parse({
    name: 'p',
    nodes: [{ id: 'a', type: 'extractor', module: 's3-csv', config: {} }],
    parameters: { min_cost: { type: 'number' }, label: {} },
  });

  it('must be declared, with the declared type', () => {
    expect(parameterErrors(pipeline, { min_cost: 3, label: 'x' })).toStrictEqual([]);
    expect(parameterErrors(pipeline, { min_cost: '3', toString: 1, other: true })).toStrictEqual([
      expect.objectContaining({ pointer: '/parameters/min_cost', code: 'parameter_type' }),
      expect.objectContaining({ pointer: '/parameters/toString', code: 'unknown_parameter' }),
      expect.objectContaining({ pointer: '/parameters/other', code: 'unknown_parameter' }),
    ]);
  });
});
