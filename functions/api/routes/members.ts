/** Members of the organization and their roles (admins only); every write audited. */
import { z } from '@hono/zod-openapi';
import {
  type Membership,
  type MembershipStore,
  USER_ID_PATTERN,
} from '../../../shared/store/membership-store.ts';
import { type ApiApp, jsonBody, jsonContent } from '../app-types.ts';
import { audit } from '../audit.ts';
import { orgStores, principalOf } from '../context.ts';
import type { ApiDeps } from '../deps.ts';
import { conflict, notFound, problemResponses } from '../problem.ts';
import { secureRoute } from '../route.ts';
import { MembershipSchema, PageQuerySchema, PutMembershipSchema, pageOf } from '../schemas.ts';

const UserIdParams = z.object({
  userId: z
    .string()
    .regex(USER_ID_PATTERN, 'letters, digits, . _ @ + or - (max 128), starting with a letter or digit')
    .openapi({ param: { name: 'userId', in: 'path' }, example: 'alice' }),
});

/** The organization keeps at least one admin: the last one is neither demoted nor removed. */
async function keepAnAdmin(members: MembershipStore, current: Membership | undefined, action: string) {
  if (current?.role !== 'admin') return;
  if ((await members.countAdmins()) <= 1) {
    throw conflict(
      `${current.userId} is the last admin of the organization and cannot be ${action}; make another member admin first`,
    );
  }
}

export function registerMemberRoutes(app: ApiApp, deps: ApiDeps): void {
  app.openapi(
    secureRoute(deps, {
      method: 'get',
      path: '/members',
      summary: "The organization's members and their roles, by user id",
      tags: ['members'],
      request: { query: PageQuerySchema },
      responses: { 200: jsonContent(pageOf(MembershipSchema, 'MembershipPage'), 'A page of members') },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const page = await orgStores(deps, principalOf(c)).members.list({
        limit: query.limit,
        cursor: query.cursor,
      });
      return c.json({ items: page.items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) }, 200);
    },
  );

  app.openapi(
    secureRoute(deps, {
      method: 'put',
      path: '/members/{userId}',
      summary: "Add a member, or change a member's role (and email)",
      description: 'The last admin of the organization cannot be demoted (409).',
      tags: ['members'],
      request: { params: UserIdParams, body: jsonBody(PutMembershipSchema) },
      responses: {
        200: jsonContent(MembershipSchema, 'The role was changed'),
        201: jsonContent(MembershipSchema, 'The member was added'),
        ...problemResponses(409),
      },
    }),
    async (c) => {
      const principal = principalOf(c);
      const { userId } = c.req.valid('param');
      const body = c.req.valid('json');
      const { members } = orgStores(deps, principal);
      const current = await members.get(userId);
      if (body.role !== 'admin') await keepAnAdmin(members, current, `made ${body.role}`);
      const saved = await members.put({ userId, ...body }, principal.user, current);
      await audit(
        deps,
        principal,
        current === undefined ? 'member.add' : 'member.update',
        `member/${userId}`,
      );
      return current === undefined ? c.json(saved, 201) : c.json(saved, 200);
    },
  );

  app.openapi(
    secureRoute(deps, {
      method: 'delete',
      path: '/members/{userId}',
      summary: 'Remove a member from the organization',
      description: 'The last admin of the organization cannot be removed (409).',
      tags: ['members'],
      request: { params: UserIdParams },
      responses: { 204: { description: 'Removed' }, ...problemResponses(404, 409) },
    }),
    async (c) => {
      const principal = principalOf(c);
      const { userId } = c.req.valid('param');
      const { members } = orgStores(deps, principal);
      const current = await members.get(userId);
      if (current === undefined) throw notFound(`member ${userId}`);
      await keepAnAdmin(members, current, 'removed');
      await members.delete(current);
      await audit(deps, principal, 'member.remove', `member/${userId}`);
      return c.body(null, 204);
    },
  );
}
