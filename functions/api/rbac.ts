/**
 * Who may call what: one declarative table, read by the router (each route
 * takes its access from here, and a route missing from it fails at start-up)
 * and by the authorization tests (every route x every role).
 *
 * Access is the least role a route needs (admin > developer > viewer), or
 * `public` for no token at all. Paths are relative to the API's base (`/api`
 * under `etl serve`, the stage root in the cloud), in OpenAPI form.
 */
import type { Role } from '../../shared/auth/principal.ts';

export type Access = 'public' | Role;

export const ROUTE_ACCESS = {
  'GET /health': 'public',
  'GET /openapi.json': 'public',
  'GET /me': 'viewer',
  'GET /modules': 'viewer',
  'POST /validate': 'viewer',
  'POST /translate': 'viewer',
  'GET /pipelines': 'viewer',
  'POST /pipelines': 'developer',
  'GET /pipelines/{id}': 'viewer',
  'PUT /pipelines/{id}': 'developer',
  'DELETE /pipelines/{id}': 'developer',
  'GET /pipelines/{id}/versions': 'viewer',
  'GET /pipelines/{id}/versions/{version}': 'viewer',
  'POST /pipelines/{id}/runs': 'developer',
  'GET /runs': 'viewer',
  'GET /runs/{runId}': 'viewer',
  'POST /runs/{runId}/cancel': 'developer',
  'POST /runs/{runId}/redrive': 'developer',
  'POST /runs/{runId}/rerun-failed-chunks': 'developer',
  'GET /runs/{runId}/rejects': 'viewer',
  'GET /runs/{runId}/quality': 'viewer',
  'GET /runs/{runId}/lineage': 'viewer',
  'POST /preview': 'developer',
  'GET /connections': 'viewer',
  'POST /connections': 'developer',
  'POST /connections/{name}/test': 'developer',
  'DELETE /connections/{name}': 'developer',
  'GET /alerts': 'viewer',
  'POST /alerts/{alertId}/resolve': 'developer',
  'GET /audit': 'admin',
  'GET /members': 'admin',
  'PUT /members/{userId}': 'admin',
  'DELETE /members/{userId}': 'admin',
} as const satisfies Readonly<Record<string, Access>>;

export type RouteKey = keyof typeof ROUTE_ACCESS;

export function accessOf(method: string, path: string): Access {
  const key = `${method.toUpperCase()} ${path}`;
  if (!Object.hasOwn(ROUTE_ACCESS, key)) {
    throw new Error(`route ${key} has no entry in ROUTE_ACCESS (functions/api/rbac.ts)`);
  }
  return ROUTE_ACCESS[key as RouteKey];
}
