/** Runs: start one, list them, read one with per-node status and counters. */
import { z } from '@hono/zod-openapi';
import { ulid } from 'ulid';
import { type ApiApp, jsonBody, jsonContent } from '../app-types.ts';
import { audit } from '../audit.ts';
import { orgStores, principalOf } from '../context.ts';
import type { ApiDeps } from '../deps.ts';
import { IDEMPOTENCY_KEY_HEADER, parseIdempotencyKey, startRunOnce } from '../idempotency-key.ts';
import { ApiProblem, notFound, problemResponses } from '../problem.ts';
import { secureRoute } from '../route.ts';
import { parameterErrors } from '../run-parameters.ts';
import {
  IdentifierSchema,
  PageQuerySchema,
  pageOf,
  RunDetailSchema,
  RunIdResponseSchema,
  RunIdSchema,
  RunStatusSchema,
  RunSummarySchema,
  StartRunSchema,
} from '../schemas.ts';
import { PipelineIdParams } from './pipelines.ts';
import { runDetail, runSummary } from './run-views.ts';

export const RunIdParams = z.object({
  runId: RunIdSchema.openapi({ param: { name: 'runId', in: 'path' }, example: '01JDQ7Z9X8KX4V4M1T8Z2Y6B3C' }),
});

const StartRunHeaders = z.object({
  [IDEMPOTENCY_KEY_HEADER.toLowerCase()]: z
    .string()
    .optional()
    .openapi({
      // Hono validates headers by their lower-case names; HTTP header names are case-insensitive.
      param: { name: IDEMPOTENCY_KEY_HEADER.toLowerCase(), in: 'header' },
      description:
        'Optional, 1-255 visible ASCII characters. A repeat of a request with the same key (within 14 days) answers the run the first one started instead of starting another; reusing a key with other parameters is refused with 422.',
      example: '01JDQ7Z9X8KX4V4M1T8Z2Y6B3C',
    }),
});

const RunListQuery = PageQuerySchema.extend({
  pipelineId: IdentifierSchema.optional(),
  status: RunStatusSchema.optional(),
});

export function registerRunRoutes(app: ApiApp, deps: ApiDeps): void {
  app.openapi(
    secureRoute(deps, {
      method: 'post',
      path: '/pipelines/{id}/runs',
      summary: 'Start a run of the latest version',
      tags: ['runs'],
      request: {
        params: PipelineIdParams,
        headers: StartRunHeaders,
        body: jsonBody(StartRunSchema, false),
      },
      responses: {
        202: jsonContent(RunIdResponseSchema, 'Started'),
        ...problemResponses(400, 404, 409, 422),
      },
    }),
    async (c) => {
      const principal = principalOf(c);
      const { id } = c.req.valid('param');
      const key = parseIdempotencyKey(c.req.header(IDEMPOTENCY_KEY_HEADER));
      const parameters = c.req.valid('json').parameters ?? {};
      const stores = orgStores(deps, principal);
      const latest = await stores.pipelines.getLatest(id);
      if (latest === undefined) throw notFound(`pipeline ${id}`);
      const errors = parameterErrors(latest.pipeline, parameters);
      if (errors.length > 0)
        throw new ApiProblem(422, 'validation', 'the run parameters are not valid', errors);
      const start = async () => {
        const runId = ulid();
        await deps.executions.start({
          organization: principal.org,
          pipeline: latest.pipeline,
          pipelineVersion: latest.version,
          runId,
          parameters,
          trigger: 'api',
        });
        await stores.pipelines.noteRun(id, runId);
        await audit(deps, principal, 'run.start', `run/${runId}`);
        return runId;
      };
      const runId =
        key === undefined
          ? await start()
          : await startRunOnce(deps, { organization: principal.org, pipelineId: id, key, parameters }, start);
      return c.json({ runId }, 202);
    },
  );

  app.openapi(
    secureRoute(deps, {
      method: 'get',
      path: '/runs',
      summary: 'Runs, newest first, optionally of one pipeline or status',
      tags: ['runs'],
      request: { query: RunListQuery },
      responses: { 200: jsonContent(pageOf(RunSummarySchema, 'RunPage'), 'A page of runs') },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const page = await orgStores(deps, principalOf(c)).runs.listRunsPage({
        limit: query.limit,
        ...(query.cursor ? { cursor: query.cursor } : {}),
        ...(query.pipelineId ? { pipelineId: query.pipelineId } : {}),
        ...(query.status ? { status: query.status } : {}),
      });
      return c.json(
        { items: page.items.map(runSummary), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) },
        200,
      );
    },
  );

  app.openapi(
    secureRoute(deps, {
      method: 'get',
      path: '/runs/{runId}',
      summary: 'A run with per-node status and counters',
      tags: ['runs'],
      request: { params: RunIdParams },
      responses: { 200: jsonContent(RunDetailSchema, 'The run'), ...problemResponses(404) },
    }),
    async (c) => {
      const { runId } = c.req.valid('param');
      const { runs } = orgStores(deps, principalOf(c));
      const run = await runs.getRun(runId);
      if (run === undefined) throw notFound(`run ${runId}`);
      return c.json(await runDetail(runs, deps.registry, run), 200);
    },
  );
}
