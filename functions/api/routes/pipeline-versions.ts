/** A pipeline's immutable versions. */
import { z } from '@hono/zod-openapi';
import { type ApiApp, jsonContent } from '../app-types.ts';
import { orgStores, principalOf } from '../context.ts';
import type { ApiDeps } from '../deps.ts';
import { notFound, problemResponses } from '../problem.ts';
import { secureRoute } from '../route.ts';
import {
  IdentifierSchema,
  PageQuerySchema,
  PipelineDetailSchema,
  pageOf,
  VersionSummarySchema,
} from '../schemas.ts';
import { pipelineDetail } from './pipeline-views.ts';
import { PipelineIdParams } from './pipelines.ts';

const VersionParams = z.object({
  id: IdentifierSchema.openapi({ param: { name: 'id', in: 'path' } }),
  version: z.coerce
    .number()
    .int()
    .min(1)
    .openapi({ param: { name: 'version', in: 'path' }, type: 'integer', example: 1 }),
});

export function registerPipelineVersionRoutes(app: ApiApp, deps: ApiDeps): void {
  app.openapi(
    secureRoute(deps, {
      method: 'get',
      path: '/pipelines/{id}/versions',
      summary: "A pipeline's versions, newest first",
      tags: ['pipelines'],
      request: { params: PipelineIdParams, query: PageQuerySchema },
      responses: {
        200: jsonContent(pageOf(VersionSummarySchema, 'PipelineVersionPage'), 'A page of versions'),
        ...problemResponses(404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const query = c.req.valid('query');
      const page = await orgStores(deps, principalOf(c)).pipelines.listVersions(id, {
        limit: query.limit,
        cursor: query.cursor,
      });
      if (page === undefined) throw notFound(`pipeline ${id}`);
      return c.json({ items: page.items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) }, 200);
    },
  );

  app.openapi(
    secureRoute(deps, {
      method: 'get',
      path: '/pipelines/{id}/versions/{version}',
      summary: 'One version of a pipeline',
      tags: ['pipelines'],
      request: { params: VersionParams },
      responses: { 200: jsonContent(PipelineDetailSchema, 'That version'), ...problemResponses(404) },
    }),
    async (c) => {
      const { id, version } = c.req.valid('param');
      const found = await orgStores(deps, principalOf(c)).pipelines.getVersion(id, version);
      if (found === undefined) throw notFound(`version ${version} of pipeline ${id}`);
      return c.json(pipelineDetail(found), 200);
    },
  );
}
