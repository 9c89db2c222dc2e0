/** Pipelines: create, list, get, update (a new version), delete. */
import { z } from '@hono/zod-openapi';
import { errorMessage } from '../../../shared/errors.ts';
import type { Pipeline } from '../../../shared/spec/schema.ts';
import type { ValidationError } from '../../../shared/spec/validate.ts';
import type { PipelineVersion } from '../../../shared/store/pipeline-store.ts';
import { type ApiApp, jsonBody, jsonContent } from '../app-types.ts';
import { audit } from '../audit.ts';
import { orgStores, principalOf } from '../context.ts';
import type { ApiDeps } from '../deps.ts';
import { checkPipeline } from '../pipeline-check.ts';
import { ApiProblem, notFound, problemResponses } from '../problem.ts';
import { secureRoute } from '../route.ts';
import {
  IdentifierSchema,
  PageQuerySchema,
  PipelineDetailSchema,
  PipelineDocumentSchema,
  PipelineSummarySchema,
  pageOf,
  UpdatePipelineSchema,
} from '../schemas.ts';
import { invalidPipeline, issuesToErrors, rejectRequest } from '../validation.ts';
import { pipelineDetail, pipelineSummary } from './pipeline-views.ts';

export const PipelineIdParams = z.object({
  id: IdentifierSchema.openapi({ param: { name: 'id', in: 'path' }, example: 'birdstrikes' }),
});

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validated pipeline with every problem (pointers under `base`), or a 422. */
async function validPipeline(
  deps: ApiDeps,
  document: unknown,
  base: string,
  extra: ValidationError[] = [],
): Promise<Pipeline> {
  const check = await checkPipeline(deps, document);
  const errors = [...(check.ok ? [] : check.errors), ...extra];
  if (!check.ok || errors.length > 0) throw invalidPipeline(errors, base);
  return check.pipeline;
}

/**
 * A body the schema refused. When only the pipeline is wrong, answer as the
 * handler would: 422 with every problem (the schema's and the graph's).
 */
async function refuse(
  deps: ApiDeps,
  document: Promise<unknown>,
  base: string,
  otherIssues: readonly z.core.$ZodIssue[],
): Promise<never> {
  const outside = otherIssues.filter((issue) => base === '' || issue.path[0] !== base.slice(1));
  if (outside.length > 0) {
    throw new ApiProblem(400, 'validation', 'the request body is not valid', issuesToErrors(outside));
  }
  await validPipeline(deps, await document, base);
  throw new ApiProblem(400, 'validation', 'the request body is not valid', issuesToErrors(otherIssues));
}

/** Saved, then deployed: a failed deployment leaves the saved version, and says so. */
async function deploy(deps: ApiDeps, org: string, saved: PipelineVersion): Promise<void> {
  try {
    await deps.executions.deployPipeline(org, saved.pipeline);
  } catch (error) {
    deps.logger.error('deploying the pipeline failed', { pipelineId: saved.id, error: errorMessage(error) });
    throw new ApiProblem(
      500,
      'internal',
      `pipeline ${saved.id} was saved as version ${saved.version}, but deploying its state machine failed; save it again to retry`,
    );
  }
}

/**
 * Saved and deployed, then scheduled: the schedule follows the version just
 * saved (a pipeline without `schedule` has its schedule removed).
 */
async function syncSchedule(deps: ApiDeps, org: string, saved: PipelineVersion): Promise<void> {
  if (deps.schedules === undefined) return;
  try {
    await deps.schedules.sync(org, saved.id, saved.pipeline.schedule);
  } catch (error) {
    deps.logger.error('updating the schedule failed', { pipelineId: saved.id, error: errorMessage(error) });
    throw new ApiProblem(
      500,
      'internal',
      `pipeline ${saved.id} was saved as version ${saved.version}, but updating its schedule failed; save it again to retry`,
    );
  }
}

export function registerPipelineRoutes(app: ApiApp, deps: ApiDeps): void {
  app.openapi(
    secureRoute(deps, {
      method: 'get',
      path: '/pipelines',
      summary: "List the organization's pipelines",
      tags: ['pipelines'],
      request: { query: PageQuerySchema },
      responses: { 200: jsonContent(pageOf(PipelineSummarySchema, 'PipelinePage'), 'A page of pipelines') },
    }),
    async (c) => {
      const { pipelines, runs } = orgStores(deps, principalOf(c));
      const query = c.req.valid('query');
      const page = await pipelines.list({ limit: query.limit, cursor: query.cursor });
      const lastRuns = await runs.getRunsById(
        page.items.flatMap((head) => (head.lastRunId ? [head.lastRunId] : [])),
      );
      const items = page.items.map((head) =>
        pipelineSummary(head, head.lastRunId ? lastRuns.get(head.lastRunId) : undefined),
      );
      return c.json({ items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) }, 200);
    },
  );

  app.openapi(
    secureRoute(deps, {
      method: 'post',
      path: '/pipelines',
      summary: 'Create a pipeline (version 1) and its state machine',
      tags: ['pipelines'],
      request: { body: jsonBody(PipelineDocumentSchema) },
      responses: {
        201: jsonContent(PipelineDetailSchema, 'Created'),
        ...problemResponses(409, 422),
      },
    }),
    async (c) => {
      const principal = principalOf(c);
      const document = await c.req.json();
      const missingId: ValidationError[] =
        isObject(document) && typeof document.id === 'string'
          ? []
          : [{ pointer: '/id', code: 'schema', message: 'a pipeline saved through the API needs an id' }];
      const pipeline = await validPipeline(deps, document, '', missingId);
      const id = pipeline.id as string;
      const saved = await orgStores(deps, principal).pipelines.create(id, pipeline, principal.user);
      await audit(deps, principal, 'pipeline.create', `pipeline/${id}`);
      await deploy(deps, principal.org, saved);
      await syncSchedule(deps, principal.org, saved);
      return c.json(pipelineDetail(saved), 201);
    },
    (result, c) => (result.success ? undefined : refuse(deps, c.req.json(), '', [])),
  );

  app.openapi(
    secureRoute(deps, {
      method: 'get',
      path: '/pipelines/{id}',
      summary: 'The latest version of a pipeline',
      tags: ['pipelines'],
      request: { params: PipelineIdParams },
      responses: { 200: jsonContent(PipelineDetailSchema, 'The pipeline'), ...problemResponses(404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const latest = await orgStores(deps, principalOf(c)).pipelines.getLatest(id);
      if (latest === undefined) throw notFound(`pipeline ${id}`);
      return c.json(pipelineDetail(latest), 200);
    },
  );

  app.openapi(
    secureRoute(deps, {
      method: 'put',
      path: '/pipelines/{id}',
      summary: 'Save a new version (optimistic: expectedVersion must be the latest)',
      tags: ['pipelines'],
      request: { params: PipelineIdParams, body: jsonBody(UpdatePipelineSchema) },
      responses: {
        200: jsonContent(PipelineDetailSchema, 'The new version'),
        ...problemResponses(404, 409, 422),
      },
    }),
    async (c) => {
      const principal = principalOf(c);
      const { id } = c.req.valid('param');
      const body = (await c.req.json()) as { pipeline: unknown; expectedVersion: number };
      const document = body.pipeline as Record<string, unknown>;
      const mismatch: ValidationError[] =
        document.id === undefined || document.id === id
          ? []
          : [{ pointer: '/id', code: 'schema', message: `the pipeline's id must be ${id} (the path's)` }];
      const pipeline = await validPipeline(deps, document, '/pipeline', mismatch);
      const saved = await orgStores(deps, principal).pipelines.update(
        id,
        { ...pipeline, id },
        body.expectedVersion,
        principal.user,
      );
      if (saved === undefined) throw notFound(`pipeline ${id}`);
      await audit(deps, principal, 'pipeline.update', `pipeline/${id}`);
      await deploy(deps, principal.org, saved);
      await syncSchedule(deps, principal.org, saved);
      return c.json(pipelineDetail(saved), 200);
    },
    (result, c) =>
      result.success
        ? undefined
        : result.target === 'json'
          ? refuse(
              deps,
              c.req.json().then((body) => (isObject(body) ? body.pipeline : undefined)),
              '/pipeline',
              (result.error as z.ZodError).issues,
            )
          : rejectRequest(result),
  );

  app.openapi(
    secureRoute(deps, {
      method: 'delete',
      path: '/pipelines/{id}',
      summary: 'Delete a pipeline, its versions, triggers and state machine',
      tags: ['pipelines'],
      request: { params: PipelineIdParams },
      responses: { 204: { description: 'Deleted' }, ...problemResponses(404) },
    }),
    async (c) => {
      const principal = principalOf(c);
      const { id } = c.req.valid('param');
      if (!(await orgStores(deps, principal).pipelines.delete(id))) throw notFound(`pipeline ${id}`);
      await audit(deps, principal, 'pipeline.delete', `pipeline/${id}`);
      // The schedule goes first: a tick must not start a run of a removed state machine.
      await deps.schedules?.remove(principal.org, id);
      await deps.executions.removePipeline(principal.org, id);
      return c.body(null, 204);
    },
  );
}
