/**
 * Connections and alerts through real HTTP against `etl serve`: a secret is
 * written to the secret store and never comes back (not in responses, the
 * audit trail or the log); alerts list and resolve.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbClient } from '../../../shared/aws/clients.ts';
import { secretStoreFromEnv } from '../../../shared/secrets/from-env.ts';
import { connectionSecretName } from '../../../shared/secrets/secret-store.ts';
import { AlertStore } from '../../../shared/store/alert-store.ts';
import type { ApiClient } from './api-client.ts';
import { type ServeFixture, startServeFixture } from './serve-fixture.ts';

const SECRET = 'correct-horse-battery-staple';
const logged: string[] = [];
let fixture: ServeFixture;
let developer: ApiClient;

beforeAll(async () => {
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    logged.push(String(chunk));
    return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stderr.write;
  fixture = await startServeFixture({ triggers: false });
  developer = await fixture.client('developer');
});
afterAll(() => fixture.close());

describe('connections', () => {
  it('stores the secret write-only and tests the connection with it', async () => {
    const created = await developer.call('POST', '/connections', {
      body: {
        name: 'warehouse',
        type: 'postgres',
        settings: { host: '127.0.0.1', port: 1, database: 'dw', user: 'etl', connect_timeout_seconds: 1 },
        secret: { password: SECRET },
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'warehouse', type: 'postgres', hasSecret: true });
    expect(JSON.stringify(created.body)).not.toContain(SECRET);
    expect(await secretStoreFromEnv().get(connectionSecretName('acme', 'warehouse'))).toBe(SECRET);

    const listed = await developer.call('GET', '/connections');
    expect(listed.body.items).toStrictEqual([
      expect.objectContaining({ name: 'warehouse', hasSecret: true }),
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(SECRET);

    const tested = await developer.call('POST', '/connections/{name}/test', {
      params: { name: 'warehouse' },
    });
    expect(tested.status).toBe(200);
    expect(tested.body.ok).toBe(false);
    expect(tested.body.message).not.toContain(SECRET);

    const otherOrg = await fixture.client('admin', 'globex');
    expect((await otherOrg.call('GET', '/connections')).body.items).toStrictEqual([]);
    expect(
      (await otherOrg.call('DELETE', '/connections/{name}', { params: { name: 'warehouse' } })).status,
    ).toBe(404);

    const removed = await developer.call('DELETE', '/connections/{name}', { params: { name: 'warehouse' } });
    expect(removed.status).toBe(204);
    expect(await secretStoreFromEnv().get(connectionSecretName('acme', 'warehouse'))).toBeUndefined();

    const audit = await (await fixture.client('admin')).call('GET', '/audit');
    expect(JSON.stringify(audit.body)).not.toContain(SECRET);
    expect(logged.join('')).not.toContain(SECRET);
  });

  it('refuses settings a type does not take (a password among them) with pointers', async () => {
    const smuggled = await developer.call('POST', '/connections', {
      body: {
        name: 'db',
        type: 'postgres',
        settings: { host: 'h', database: 'd', user: 'u', password: SECRET },
      },
    });
    expect(smuggled.status).toBe(400);
    expect(smuggled.body.errors).toContainEqual(expect.objectContaining({ pointer: '/settings' }));
    const unknownType = await developer.call('POST', '/connections', {
      body: { name: 'db', type: 'oracle', settings: {} },
    });
    expect(unknownType.status).toBe(400);
    expect(unknownType.body.errors[0].pointer).toBe('/type');
  });
});

describe('alerts', () => {
  it('lists open alerts newest first and resolves one', async () => {
    const { env } = fixture.server.services;
    const alerts = new AlertStore(createDynamoDbClient(env), env.metadataTable, 'acme');
    const { alert: older } = await alerts.raise({
      level: 'critical',
      type: 'run_failed',
      pipelineId: 'birdstrikes',
      runId: '01JAAAAAAAAAAAAAAAAAAAAAAA',
      message: 'run failed at node costly',
    });
    const { alert: newer } = await alerts.raise({
      level: 'warning',
      type: 'reject_ratio',
      pipelineId: 'birdstrikes',
      runId: '01JBBBBBBBBBBBBBBBBBBBBBBB',
      message: '12% of rows rejected',
    });

    const open = await developer.call('GET', '/alerts', { query: { resolved: 'false' } });
    expect(open.body.items.map((alert: { alertId: string }) => alert.alertId)).toStrictEqual([
      newer.alertId,
      older.alertId,
    ]);
    const resolved = await developer.call('POST', '/alerts/{alertId}/resolve', {
      params: { alertId: older.alertId },
    });
    expect(resolved.body).toMatchObject({ alertId: older.alertId, resolved: true });
    const stillOpen = await developer.call('GET', '/alerts', { query: { resolved: false } });
    expect(stillOpen.body.items.map((alert: { alertId: string }) => alert.alertId)).toStrictEqual([
      newer.alertId,
    ]);

    const viewer = await fixture.client('viewer');
    expect((await viewer.call('GET', '/alerts')).body.items).toHaveLength(2);
    expect(
      (await viewer.call('POST', '/alerts/{alertId}/resolve', { params: { alertId: newer.alertId } })).status,
    ).toBe(403);
    const globex = await fixture.client('developer', 'globex');
    expect((await globex.call('GET', '/alerts')).body.items).toStrictEqual([]);
    expect(
      (await globex.call('POST', '/alerts/{alertId}/resolve', { params: { alertId: newer.alertId } })).status,
    ).toBe(404);
  });
});
