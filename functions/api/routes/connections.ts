/** Connections: settings in the metadata table, the secret write-only in the secret store. */
import { z } from '@hono/zod-openapi';
import {
  CONNECTION_SETTINGS,
  ConnectionNameSchema,
  type ConnectionType,
} from '../../../shared/connections/connection.ts';
import { connectionSecretName } from '../../../shared/secrets/secret-store.ts';
import { type ApiApp, jsonBody, jsonContent } from '../app-types.ts';
import { audit } from '../audit.ts';
import { testConnection } from '../connection-test.ts';
import { orgStores, principalOf } from '../context.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiProblem, notFound, problemResponses } from '../problem.ts';
import { secureRoute } from '../route.ts';
import { ConnectionSchema, ConnectionTestSchema, CreateConnectionSchema } from '../schemas.ts';
import { issuesToErrors } from '../validation.ts';

const NameParams = z.object({
  name: ConnectionNameSchema,
});

export function registerConnectionRoutes(app: ApiApp, deps: ApiDeps): void {
  app.openapi(
    secureRoute(deps, {
      method: 'get',
      path: '/connections',
      summary: "The organization's connections (never their secrets)",
      tags: ['connections'],
      responses: {
        200: jsonContent(
          z.object({ items: z.array(ConnectionSchema) }).openapi('ConnectionList'),
          'Connections',
        ),
      },
    }),
    async (c) => {
      const records = await orgStores(deps, principalOf(c)).connections.list();
      return c.json(
        { items: records.map((record) => ({ ...record, settings: { ...record.settings } })) },
        200,
      );
    },
  );

  app.openapi(
    secureRoute(deps, {
      method: 'post',
      path: '/connections',
      summary: 'Create or replace a connection; the secret is stored, never returned',
      tags: ['connections'],
      request: { body: jsonBody(CreateConnectionSchema) },
      responses: { 201: jsonContent(ConnectionSchema, 'Saved (without the secret)') },
    }),
    async (c) => {
      const principal = principalOf(c);
      const body = c.req.valid('json');
      const type = body.type as ConnectionType;
      const settings = CONNECTION_SETTINGS[type].safeParse(body.settings);
      if (!settings.success) {
        throw new ApiProblem(
          400,
          'validation',
          `the settings are not valid for a ${type} connection`,
          issuesToErrors(settings.error.issues, ['settings']),
        );
      }
      const secret = typeof body.secret === 'string' ? body.secret : body.secret?.password;
      const secretName = connectionSecretName(principal.org, body.name);
      if (secret === undefined) await deps.secrets.delete(secretName);
      else await deps.secrets.put(secretName, secret);
      const saved = await orgStores(deps, principal).connections.put({
        name: body.name,
        type,
        settings: settings.data as Record<string, unknown>,
        hasSecret: secret !== undefined,
      });
      await audit(deps, principal, 'connection.save', `connection/${body.name}`);
      return c.json({ ...saved, settings: { ...saved.settings } }, 201);
    },
  );

  app.openapi(
    secureRoute(deps, {
      method: 'post',
      path: '/connections/{name}/test',
      summary: 'Connect with the stored settings and secret',
      tags: ['connections'],
      request: { params: NameParams },
      responses: {
        200: jsonContent(ConnectionTestSchema, 'Whether it connected, and what it answered'),
        ...problemResponses(404),
      },
    }),
    async (c) => {
      const principal = principalOf(c);
      const { name } = c.req.valid('param');
      const record = await orgStores(deps, principal).connections.get(name);
      if (record === undefined) throw notFound(`connection ${name}`);
      return c.json(await testConnection(principal.org, record), 200);
    },
  );

  app.openapi(
    secureRoute(deps, {
      method: 'delete',
      path: '/connections/{name}',
      summary: 'Remove a connection and its secret',
      tags: ['connections'],
      request: { params: NameParams },
      responses: { 204: { description: 'Removed' }, ...problemResponses(404) },
    }),
    async (c) => {
      const principal = principalOf(c);
      const { name } = c.req.valid('param');
      if (!(await orgStores(deps, principal).connections.delete(name))) throw notFound(`connection ${name}`);
      await deps.secrets.delete(connectionSecretName(principal.org, name));
      await audit(deps, principal, 'connection.delete', `connection/${name}`);
      return c.body(null, 204);
    },
  );
}
