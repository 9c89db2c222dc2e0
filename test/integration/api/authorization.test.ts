/**
 * Authorization through real HTTP: every route of ROUTE_ACCESS (the table the
 * router itself reads) against every role — 2xx when the role may, 403 when
 * it may not, 401 without a token — and every route that takes an id asked
 * by another organization for this one's resources: 404 (`PUT /members/{userId}`
 * creates a member of the caller's own organization instead: checked to leave
 * this one's member as it was).
 *
 * The execution service is a recorder here: what is checked is who may ask,
 * not what running does (runs.test.ts runs for real).
 */
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../../functions/api/app.ts';
import { ROUTE_ACCESS, type RouteKey } from '../../../functions/api/rbac.ts';
import { LocalTokenVerifier, signLocalToken } from '../../../shared/auth/local-tokens.ts';
import { ROLES, type Role, roleAtLeast } from '../../../shared/auth/principal.ts';
import { createDynamoDbClient } from '../../../shared/aws/clients.ts';
import { ConnectionStore } from '../../../shared/connections/connection-store.ts';
import type { ExecutionService } from '../../../shared/executions/execution-service.ts';
import { registry } from '../../../shared/modules/registry.ts';
import { secretStoreFromEnv } from '../../../shared/secrets/from-env.ts';
import { PipelineSchema } from '../../../shared/spec/schema.ts';
import { AlertStore } from '../../../shared/store/alert-store.ts';
import { MembershipStore } from '../../../shared/store/membership-store.ts';
import { PipelineStore } from '../../../shared/store/pipeline-store.ts';
import { RunStore } from '../../../shared/store/run-store.ts';
import { localFunctionArn } from '../../../statemachines/function-names.ts';
import { REPO_ROOT, startTestEnvironment, type TestEnvironment } from '../harness.ts';
import { ApiClient, type CallOptions } from './api-client.ts';
import { type ResponseChecker, responseChecker } from './openapi-checker.ts';

const ORG = 'acme';
const OTHER_ORG = 'globex';
const KEY = new Uint8Array(32).fill(42);

let env: TestEnvironment;
let server: ReturnType<typeof serve>;
let baseUrl: string;
let checker: ResponseChecker;
let example: Record<string, unknown>;
const calls: string[] = [];

const recorder: ExecutionService = {
  deployPipeline: async (organization) => void calls.push(`deploy ${organization}`),
  removePipeline: async (organization) => void calls.push(`remove ${organization}`),
  start: async (request) => void calls.push(`start ${request.organization}`),
  cancel: async (organization) => void calls.push(`cancel ${organization}`),
  redrive: async (organization) => void calls.push(`redrive ${organization}`),
  rerunFailedChunks: async (request) => void calls.push(`rerun ${request.organization}`),
};

/** Fresh resources of ORG for one request, so a DELETE never starves the next cell. */
const fixtures = {
  counter: 0,
  id: () => `p${++fixtures.counter}`,
  stores() {
    const client = createDynamoDbClient(env.services.env);
    const table = env.services.env.metadataTable;
    return {
      pipelines: new PipelineStore(client, table, ORG),
      runs: new RunStore(client, table, ORG),
      connections: new ConnectionStore(client, table, ORG),
      alerts: new AlertStore(client, table, ORG),
      members: new MembershipStore(client, table, ORG),
    };
  },
  async pipeline(): Promise<string> {
    const id = fixtures.id();
    await fixtures.stores().pipelines.create(id, PipelineSchema.parse({ ...example, id }), 'seed');
    return id;
  },
  async run(): Promise<string> {
    const pipelineId = await fixtures.pipeline();
    const runId = ulid();
    await fixtures.stores().runs.startRun(
      {
        runId,
        pipelineId,
        pipelineName: 'seeded',
        pipelineVersion: 1,
        status: 'failed',
        trigger: 'api',
        parameters: {},
        startedAt: new Date().toISOString(),
      },
      [{ nodeId: 'strikes', module: 's3-csv' }],
    );
    return runId;
  },
  async connection(): Promise<string> {
    const name = `c${++fixtures.counter}`;
    await fixtures.stores().connections.put({
      name,
      type: 'postgres',
      // Port 1 on loopback refuses at once: the test answers { ok: false } quickly.
      settings: {
        host: '127.0.0.1',
        port: 1,
        database: 'd',
        user: 'u',
        ssl: false,
        connect_timeout_seconds: 1,
      },
      hasSecret: false,
    });
    return name;
  },
  async member(): Promise<string> {
    const userId = `u${++fixtures.counter}`;
    await fixtures.stores().members.put({ userId, role: 'developer' }, 'seed', undefined);
    return userId;
  },
  async alert(): Promise<string> {
    const { alert } = await fixtures.stores().alerts.raise({
      level: 'critical',
      type: 'run_failed',
      pipelineId: 'p',
      runId: ulid(),
      message: 'failed',
    });
    return alert.alertId;
  },
};

/** One request per route: what it needs to succeed for a role that may call it. */
const CASES: Record<RouteKey, () => Promise<CallOptions>> = {
  'GET /health': async () => ({}),
  'GET /openapi.json': async () => ({}),
  'GET /me': async () => ({}),
  'GET /modules': async () => ({}),
  'POST /validate': async () => ({ body: example }),
  'POST /translate': async () => ({ body: example }),
  'GET /pipelines': async () => ({}),
  'POST /pipelines': async () => ({ body: { ...example, id: fixtures.id() } }),
  'GET /pipelines/{id}': async () => ({ params: { id: await fixtures.pipeline() } }),
  'PUT /pipelines/{id}': async () => {
    const id = await fixtures.pipeline();
    return { params: { id }, body: { pipeline: { ...example, id }, expectedVersion: 1 } };
  },
  'DELETE /pipelines/{id}': async () => ({ params: { id: await fixtures.pipeline() } }),
  'GET /pipelines/{id}/versions': async () => ({ params: { id: await fixtures.pipeline() } }),
  'GET /pipelines/{id}/versions/{version}': async () => ({
    params: { id: await fixtures.pipeline(), version: 1 },
  }),
  'POST /pipelines/{id}/runs': async () => ({ params: { id: await fixtures.pipeline() }, body: {} }),
  'GET /runs': async () => ({}),
  'GET /runs/{runId}': async () => ({ params: { runId: await fixtures.run() } }),
  'POST /runs/{runId}/cancel': async () => ({ params: { runId: await fixtures.run() } }),
  'POST /runs/{runId}/redrive': async () => ({ params: { runId: await fixtures.run() } }),
  'POST /runs/{runId}/rerun-failed-chunks': async () => ({ params: { runId: await fixtures.run() } }),
  'GET /runs/{runId}/rejects': async () => ({ params: { runId: await fixtures.run() } }),
  'GET /runs/{runId}/quality': async () => ({ params: { runId: await fixtures.run() } }),
  'GET /runs/{runId}/lineage': async () => ({ params: { runId: await fixtures.run() } }),
  'GET /connections': async () => ({}),
  'POST /connections': async () => ({
    body: {
      name: `c${++fixtures.counter}`,
      type: 'postgres',
      settings: { host: '127.0.0.1', database: 'd', user: 'u' },
      secret: 'not-logged',
    },
  }),
  'POST /connections/{name}/test': async () => ({ params: { name: await fixtures.connection() } }),
  'DELETE /connections/{name}': async () => ({ params: { name: await fixtures.connection() } }),
  'GET /alerts': async () => ({}),
  'POST /alerts/{alertId}/resolve': async () => ({ params: { alertId: await fixtures.alert() } }),
  'POST /preview': async () => ({ body: { pipeline: example, nodeId: 'costly', limit: 5 } }),
  'GET /audit': async () => ({}),
  'GET /members': async () => ({}),
  'PUT /members/{userId}': async () => ({
    params: { userId: await fixtures.member() },
    body: { role: 'viewer' },
  }),
  'DELETE /members/{userId}': async () => ({ params: { userId: await fixtures.member() } }),
};

/** Id-taking routes that create under the caller's organization when the id is not there. */
const UPSERTS: ReadonlySet<RouteKey> = new Set(['PUT /members/{userId}']);

const ROUTES = Object.entries(ROUTE_ACCESS) as [RouteKey, (typeof ROUTE_ACCESS)[RouteKey]][];

function split(key: RouteKey): [string, string] {
  const [method, path] = key.split(' ');
  return [method as string, path as string];
}

async function call(key: RouteKey, token: string | null, options: CallOptions) {
  const [method, path] = split(key);
  if (path === '/openapi.json') {
    const response = await fetch(`${baseUrl}${path}`);
    return { status: response.status, body: await response.json() };
  }
  return new ApiClient(baseUrl, checker).call(method, path, { ...options, token });
}

beforeAll(async () => {
  env = await startTestEnvironment();
  example = JSON.parse(await readFile(join(REPO_ROOT, 'examples/birdstrikes/pipeline.json'), 'utf8'));
  const api = createApi({
    dynamo: createDynamoDbClient(env.services.env),
    table: env.services.env.metadataTable,
    idempotency: env.services.env,
    s3: env.services.s3,
    stagingBucket: env.services.env.stagingBucket,
    secrets: secretStoreFromEnv(),
    executions: recorder,
    verifier: new LocalTokenVerifier(KEY),
    registry,
    resolveFunctionArn: localFunctionArn,
    workDir: env.scratch,
    preview: async (request) => {
      calls.push(`preview ${request.organization}`);
      return { columns: [{ name: 'a', type: 'INTEGER' }], rows: [{ a: 1 }] };
    },
    logger: { info: () => undefined, error: (message, extra) => console.error(message, extra) },
  });
  server = await new Promise((ready) => {
    const started = serve({ fetch: api.fetch, port: 0, hostname: '127.0.0.1' }, () => ready(started));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  checker = await responseChecker(
    (await (await fetch(`${baseUrl}/openapi.json`)).json()) as Record<string, unknown>,
  );
});

afterAll(async () => {
  await new Promise((done) => server.close(() => done(undefined)));
  await env.close();
});

describe('the RBAC table', () => {
  it('lists exactly the routes the router serves', () => {
    const documented = new Set([...checker.operations, 'GET /openapi.json']);
    expect(new Set(Object.keys(ROUTE_ACCESS))).toStrictEqual(documented);
  });
});

describe('every route x every role', () => {
  const token = (role: Role, org = ORG) => signLocalToken(KEY, { user: `${role}-user`, org, role });

  for (const [key, access] of ROUTES) {
    describe(key, () => {
      for (const role of ROLES) {
        const allowed = access === 'public' || roleAtLeast(role, access);
        it(`${role}: ${allowed ? '2xx' : '403'}`, async () => {
          const response = await call(key, await token(role), await CASES[key]());
          if (allowed) {
            expect(response.status, JSON.stringify(response.body)).toBeGreaterThanOrEqual(200);
            expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
          } else {
            expect(response.status, JSON.stringify(response.body)).toBe(403);
          }
        });
      }
      it(`no token: ${access === 'public' ? '2xx' : '401'}`, async () => {
        const response = await call(key, null, await CASES[key]());
        if (access === 'public') expect(response.status).toBe(200);
        else expect(response.status).toBe(401);
      });
      if (UPSERTS.has(key)) {
        it(`an admin of another organization: its own organization's resource, this one's untouched`, async () => {
          const options = await CASES[key]();
          const userId = String(options.params?.userId);
          const response = await call(key, await token('admin', OTHER_ORG), options);
          expect(response.status, JSON.stringify(response.body)).toBe(201);
          expect(await fixtures.stores().members.get(userId)).toMatchObject({ userId, role: 'developer' });
        });
      } else if (split(key)[1].includes('{')) {
        it(`an admin of another organization asking for this one's resource: 404`, async () => {
          const before = calls.length;
          const response = await call(key, await token('admin', OTHER_ORG), await CASES[key]());
          expect(response.status, JSON.stringify(response.body)).toBe(404);
          // Nothing was asked of the executor on the other organization's behalf.
          expect(calls.slice(before)).toStrictEqual([]);
        });
      }
    });
  }
});

describe('writes by the token organization only', () => {
  it('never reaches another organization: the executor hears only ORG', () => {
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((entry) => entry.endsWith(` ${ORG}`))).toBe(true);
  });
});
