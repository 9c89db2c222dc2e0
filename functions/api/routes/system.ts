/** Health, the caller's identity, the module registry and pipeline validation. */
import { z } from '@hono/zod-openapi';
import { inputArity } from '../../../shared/modules/types.ts';
import { type ApiApp, jsonContent } from '../app-types.ts';
import { principalOf } from '../context.ts';
import type { ApiDeps } from '../deps.ts';
import { barrierNodeIds, checkPipeline } from '../pipeline-check.ts';
import { secureRoute } from '../route.ts';
import { MeSchema, ModuleSchema, PipelineDocumentSchema, ValidateResponseSchema } from '../schemas.ts';
import { pipelineErrors } from '../validation.ts';

export function registerSystemRoutes(app: ApiApp, deps: ApiDeps): void {
  app.openapi(
    secureRoute(deps, {
      method: 'get',
      path: '/health',
      summary: 'Liveness',
      tags: ['system'],
      responses: { 200: jsonContent(z.object({ status: z.literal('ok') }).openapi('Health'), 'Up') },
    }),
    (c) => c.json({ status: 'ok' as const }, 200),
  );

  app.openapi(
    secureRoute(deps, {
      method: 'get',
      path: '/me',
      summary: 'The caller, as the token says',
      tags: ['system'],
      responses: { 200: jsonContent(MeSchema, 'The principal') },
    }),
    (c) => {
      const { user, org, role } = principalOf(c);
      return c.json({ user, org, role }, 200);
    },
  );

  const modules = deps.registry.list().map((module) => ({
    name: module.name,
    kind: module.kind,
    description: module.description,
    configSchema: z.toJSONSchema(module.configSchema, {
      io: 'input',
      target: 'draft-2020-12',
      unrepresentable: 'any',
    }) as Record<string, unknown>,
    inputs: inputArity(module),
    barrier: !module.chunkLocal,
  }));
  app.openapi(
    secureRoute(deps, {
      method: 'get',
      path: '/modules',
      summary: 'The module registry with each config JSON Schema',
      tags: ['system'],
      responses: {
        200: jsonContent(z.object({ items: z.array(ModuleSchema) }).openapi('ModuleList'), 'Modules'),
      },
    }),
    (c) => c.json({ items: modules }, 200),
  );

  app.openapi(
    secureRoute(deps, {
      method: 'post',
      path: '/validate',
      summary: 'Validate a pipeline; the ASL when it is valid',
      tags: ['pipelines'],
      request: {
        body: { required: true, content: { 'application/json': { schema: PipelineDocumentSchema } } },
      },
      responses: {
        200: jsonContent(ValidateResponseSchema, 'Every problem, with pointers; the ASL if none'),
      },
    }),
    async (c) => {
      const document: unknown = await c.req.json();
      const check = await checkPipeline(deps, document);
      const barriers = barrierNodeIds(deps.registry, document);
      if (!check.ok) return c.json({ valid: false, errors: pipelineErrors(check.errors), barriers }, 200);
      const asl = check.asl as unknown as Record<string, unknown>;
      return c.json({ valid: true, errors: [], barriers, asl }, 200);
    },
    // A document the schema refuses is still answered 200 with every problem (not a 400).
    (result, c) =>
      result.success
        ? undefined
        : (async () => {
            const document: unknown = await c.req.json();
            const check = await checkPipeline(deps, document);
            return c.json(
              {
                valid: false,
                errors: check.ok ? [] : pipelineErrors(check.errors),
                barriers: barrierNodeIds(deps.registry, document),
              },
              200,
            );
          })(),
  );
}
