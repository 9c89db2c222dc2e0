/**
 * `secureRoute`: an OpenAPI route whose access comes from ROUTE_ACCESS, with
 * the auth middleware in front and the problem responses it can answer.
 */
import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { authorize } from './auth.ts';
import type { ApiEnv } from './context.ts';
import type { ApiDeps } from './deps.ts';
import { problemResponses } from './problem.ts';
import { accessOf } from './rbac.ts';

export const BEARER_SCHEME = 'bearer';

export function secureRoute<const R extends RouteConfig>(deps: ApiDeps, config: R): R {
  const access = accessOf(config.method, config.path);
  const statuses: number[] = [];
  if (access !== 'public') statuses.push(401);
  if (access === 'developer' || access === 'admin') statuses.push(403);
  if (config.request?.body) statuses.push(400, 413, 415);
  else if (config.request?.query || config.request?.params) statuses.push(400);
  const middleware: MiddlewareHandler<ApiEnv> = authorize(deps.verifier, access);
  return createRoute({
    ...config,
    description: [config.description, access === 'public' ? 'No token needed.' : `Role: ${access} or above.`]
      .filter(Boolean)
      .join('\n\n'),
    ...(access === 'public' ? {} : { security: [{ [BEARER_SCHEME]: [] }] }),
    middleware: [middleware] as never,
    responses: { ...problemResponses(...statuses), ...config.responses },
  }) as unknown as R;
}
