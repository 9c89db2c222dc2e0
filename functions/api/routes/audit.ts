/** The audit trail of the organization: every write through the API. */
import { type ApiApp, jsonContent } from '../app-types.ts';
import { orgStores, principalOf } from '../context.ts';
import type { ApiDeps } from '../deps.ts';
import { secureRoute } from '../route.ts';
import { AuditEntrySchema, PageQuerySchema, pageOf } from '../schemas.ts';

export function registerAuditRoutes(app: ApiApp, deps: ApiDeps): void {
  app.openapi(
    secureRoute(deps, {
      method: 'get',
      path: '/audit',
      summary: 'Who changed what, newest first',
      tags: ['audit'],
      request: { query: PageQuerySchema },
      responses: { 200: jsonContent(pageOf(AuditEntrySchema, 'AuditPage'), 'A page of audit entries') },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const page = await orgStores(deps, principalOf(c)).audit.list({
        limit: query.limit,
        cursor: query.cursor,
      });
      return c.json({ items: page.items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) }, 200);
    },
  );
}
