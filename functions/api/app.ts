/**
 * The API router: every route of the contract (functions/api/README.md),
 * request validation, RFC 9457 problems, the OpenAPI 3.1 document. The same
 * app serves the Lambda (handler.ts) and `etl serve` (mounted at /api).
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { AuthenticationError } from '../../shared/auth/principal.ts';
import { errorMessage } from '../../shared/errors.ts';
import {
  RerunNotPossibleError,
  RunNotFoundError,
  RunStateConflictError,
} from '../../shared/executions/errors.ts';
import { InvalidCursorError } from '../../shared/store/cursor.ts';
import { MembershipConflictError } from '../../shared/store/membership-store.ts';
import { PipelineConflictError, PipelineTooLargeError } from '../../shared/store/pipeline-store.ts';
import type { ApiApp } from './app-types.ts';
import { limitBody } from './body-limit.ts';
import type { ApiEnv } from './context.ts';
import type { ApiDeps } from './deps.ts';
import { ApiProblem, type ProblemKind, problemResponse } from './problem.ts';
import { BEARER_SCHEME } from './route.ts';
import { registerAlertRoutes } from './routes/alerts.ts';
import { registerAuditRoutes } from './routes/audit.ts';
import { registerConnectionRoutes } from './routes/connections.ts';
import { registerMemberRoutes } from './routes/members.ts';
import { registerPipelineVersionRoutes } from './routes/pipeline-versions.ts';
import { registerPipelineRoutes } from './routes/pipelines.ts';
import { registerPreviewRoutes } from './routes/preview.ts';
import { registerRunActionRoutes } from './routes/run-actions.ts';
import { registerRunDataRoutes } from './routes/run-data.ts';
import { registerRunRoutes } from './routes/runs.ts';
import { registerSystemRoutes } from './routes/system.ts';
import { registerTranslateRoutes } from './routes/translate.ts';
import { validationHook } from './validation.ts';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const API_VERSION = '1.0.0';

const HTTP_KINDS: Readonly<Record<number, ProblemKind>> = {
  400: 'validation',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
};

/** Known errors -> problems; anything else is a 500 whose detail reveals nothing. */
export function toProblem(error: unknown): ApiProblem | undefined {
  if (error instanceof ApiProblem) return error;
  if (error instanceof HTTPException) {
    const kind = HTTP_KINDS[error.status] ?? 'internal';
    return new ApiProblem(error.status, kind, error.message || 'the request could not be handled');
  }
  if (error instanceof AuthenticationError) return new ApiProblem(401, 'unauthorized', error.message);
  if (error instanceof InvalidCursorError) {
    return new ApiProblem(400, 'validation', error.message, [
      { pointer: '/cursor', message: error.message, code: 'invalid_cursor' },
    ]);
  }
  if (
    error instanceof PipelineConflictError ||
    error instanceof RunStateConflictError ||
    error instanceof MembershipConflictError
  ) {
    return new ApiProblem(409, 'conflict', error.message);
  }
  if (error instanceof RerunNotPossibleError) return new ApiProblem(409, 'conflict', error.message);
  if (error instanceof RunNotFoundError)
    return new ApiProblem(404, 'not-found', `run ${error.runId} does not exist`);
  if (error instanceof PipelineTooLargeError) return new ApiProblem(413, 'payload-too-large', error.message);
  return undefined;
}

export function createApi(deps: ApiDeps): ApiApp {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  const maxSize = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  // The console on CloudFront calls the API Gateway origin; API Gateway answers preflights itself.
  if (deps.corsOrigins !== undefined && deps.corsOrigins.length > 0) {
    app.use('*', cors({ origin: [...deps.corsOrigins], exposeHeaders: ['Location'], maxAge: 600 }));
  }
  app.use('*', secureHeaders({ crossOriginResourcePolicy: 'same-origin' }));
  app.use('*', async (c, next) => {
    await next();
    c.res.headers.set('Cache-Control', 'no-store');
  });
  app.use('*', limitBody(maxSize));

  registerSystemRoutes(app, deps);
  registerTranslateRoutes(app, deps);
  registerPipelineRoutes(app, deps);
  registerPipelineVersionRoutes(app, deps);
  registerRunRoutes(app, deps);
  registerRunActionRoutes(app, deps);
  registerRunDataRoutes(app, deps);
  registerConnectionRoutes(app, deps);
  registerAlertRoutes(app, deps);
  registerAuditRoutes(app, deps);
  registerMemberRoutes(app, deps);
  if (deps.preview) registerPreviewRoutes(app, deps, deps.preview);

  app.openAPIRegistry.registerComponent('securitySchemes', BEARER_SCHEME, {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'Claims: sub (user), org (organization), role (admin | developer | viewer)',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'ETL platform API',
      version: API_VERSION,
      description:
        'Pipelines, runs, connections, alerts, members and audit of one organization (the token says which).',
    },
    servers: [{ url: deps.basePath || '/' }],
  });

  app.notFound((c) =>
    problemResponse(c, new ApiProblem(404, 'not-found', `no route ${c.req.method} ${c.req.path}`)),
  );
  app.onError((error, c) => {
    const problem = toProblem(error);
    if (problem !== undefined) return problemResponse(c, problem);
    deps.logger.error('request failed', {
      method: c.req.method,
      path: c.req.path,
      error: errorMessage(error),
    });
    return problemResponse(
      c,
      new ApiProblem(500, 'internal', 'the request failed; the error is in the API log'),
    );
  });
  return app;
}
