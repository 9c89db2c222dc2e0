/** Alerts: run failures, timeouts, data-quality failures and reject ratios; resolved by hand. */
import { z } from '@hono/zod-openapi';
import { AlertNotFoundError, AlertStore } from '../../../shared/store/alert-store.ts';
import { type ApiApp, jsonContent } from '../app-types.ts';
import { audit } from '../audit.ts';
import { principalOf } from '../context.ts';
import type { ApiDeps } from '../deps.ts';
import { notFound, problemResponses } from '../problem.ts';
import { secureRoute } from '../route.ts';
import { PageQuerySchema, pageOf } from '../schemas.ts';

export const AlertSchema = z
  .object({
    alertId: z.string(),
    level: z.enum(['info', 'warning', 'critical']),
    type: z.enum(['run_failed', 'run_timeout', 'quality_failed', 'reject_ratio']),
    pipelineId: z.string(),
    runId: z.string().optional(),
    message: z.string(),
    createdAt: z.string(),
    resolved: z.boolean(),
  })
  .openapi('Alert');

const AlertQuery = PageQuerySchema.extend({
  resolved: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .openapi({ description: 'false: open alerts only; true: resolved only; absent: all' }),
});

const AlertParams = z.object({
  alertId: z
    .string()
    .regex(/^[0-9A-Za-z_.-]{1,100}$/, 'not an alert id')
    .openapi({ param: { name: 'alertId', in: 'path' } }),
});

export function registerAlertRoutes(app: ApiApp, deps: ApiDeps): void {
  app.openapi(
    secureRoute(deps, {
      method: 'get',
      path: '/alerts',
      summary: 'Alerts, newest first',
      tags: ['alerts'],
      request: { query: AlertQuery },
      responses: { 200: jsonContent(pageOf(AlertSchema, 'AlertPage'), 'A page of alerts') },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const page = await new AlertStore(deps.dynamo, deps.table, principalOf(c).org).list({
        limit: query.limit,
        ...(query.cursor ? { cursor: query.cursor } : {}),
        ...(query.resolved === undefined ? {} : { resolved: query.resolved }),
      });
      return c.json({ items: page.items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) }, 200);
    },
  );

  app.openapi(
    secureRoute(deps, {
      method: 'post',
      path: '/alerts/{alertId}/resolve',
      summary: 'Mark an alert resolved',
      tags: ['alerts'],
      request: { params: AlertParams },
      responses: { 200: jsonContent(AlertSchema, 'The resolved alert'), ...problemResponses(404) },
    }),
    async (c) => {
      const principal = principalOf(c);
      const { alertId } = c.req.valid('param');
      try {
        const alert = await new AlertStore(deps.dynamo, deps.table, principal.org).resolve(alertId);
        await audit(deps, principal, 'alert.resolve', `alert/${alertId}`);
        return c.json(alert, 200);
      } catch (error) {
        if (error instanceof AlertNotFoundError) throw notFound(`alert ${alertId}`);
        throw error;
      }
    },
  );
}
