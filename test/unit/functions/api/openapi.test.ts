import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import { createApi } from '../../../../functions/api/app.ts';
import { ROUTE_ACCESS } from '../../../../functions/api/rbac.ts';
import { stubDeps } from './stub-deps.ts';

interface Operation {
  security?: unknown[];
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, unknown> }>;
}

async function document(basePath = '/api') {
  const response = await createApi(stubDeps({ basePath })).request('/openapi.json');
  expect(response.status).toBe(200);
  return (await response.json()) as {
    openapi: string;
    servers: { url: string }[];
    paths: Record<string, Record<string, Operation>>;
  };
}

function operations(doc: Awaited<ReturnType<typeof document>>) {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({
      key: `${method.toUpperCase()} ${path}`,
      operation,
    })),
  );
}

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document whose server is the base path', async () => {
    const doc = await document();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toStrictEqual([{ url: '/api' }]);
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined();
    expect((await document('')).servers).toStrictEqual([{ url: '/' }]);
  });

  it('documents every route of the RBAC table, with its security and error responses', async () => {
    const doc = await document();
    const documented = operations(doc);
    expect(new Set([...documented.map((entry) => entry.key), 'GET /openapi.json'])).toStrictEqual(
      new Set(Object.keys(ROUTE_ACCESS)),
    );
    for (const { key, operation } of documented) {
      const access = ROUTE_ACCESS[key as keyof typeof ROUTE_ACCESS];
      expect(operation.security === undefined, key).toBe(access === 'public');
      if (access !== 'public') expect(Object.keys(operation.responses), key).toContain('401');
      if (access === 'developer' || access === 'admin')
        expect(Object.keys(operation.responses), key).toContain('403');
      if (operation.requestBody) expect(Object.keys(operation.responses), key).toContain('413');
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) >= 400)
          expect(Object.keys(response.content ?? {}), `${key} ${status}`).toStrictEqual([
            'application/problem+json',
          ]);
      }
    }
  });

  it('leaves preview out where no preview runner is given', async () => {
    const response = await createApi(stubDeps({ preview: undefined })).request('/openapi.json');
    const doc = (await response.json()) as { paths: Record<string, unknown> };
    expect(doc.paths['/preview']).toBeUndefined();
  });
});
