import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionStore } from '../../../../shared/connections/connection-store.ts';
import type { ConnectionDeps } from '../../../../shared/connections/deps.ts';
import { resolveConnection } from '../../../../shared/connections/resolve.ts';
import { ConfigError } from '../../../../shared/errors.ts';
import { LocalSecretStore } from '../../../../shared/secrets/local-secret-store.ts';
import { connectionSecretName } from '../../../../shared/secrets/secret-store.ts';
import { type LocalTable, startLocalTable, TABLE } from './dynalite.ts';

const SETTINGS = { host: 'db.internal', port: 5432, database: 'sales', user: 'etl' };
const SECRET = 'p4ssw0rd-that-stays-secret';

let table: LocalTable;
let secretsDir: string;
let deps: ConnectionDeps;

beforeAll(async () => {
  table = await startLocalTable();
  secretsDir = await mkdtemp(join(tmpdir(), 'etl-conn-'));
  deps = {
    organization: 'acme',
    connections: new ConnectionStore(table.client, TABLE, 'acme'),
    secrets: new LocalSecretStore({ dir: secretsDir }),
  };
});
afterAll(async () => {
  await table.close();
  await rm(secretsDir, { recursive: true, force: true });
});

describe('ConnectionStore', () => {
  it('keeps the first creation time when a connection is replaced', async () => {
    const first = await deps.connections.put(
      { name: 'sales', type: 'postgres', settings: SETTINGS, hasSecret: false },
      new Date('2025-01-01T00:00:00Z'),
    );

    const second = await deps.connections.put(
      { name: 'sales', type: 'postgres', settings: { ...SETTINGS, port: 6432 }, hasSecret: false },
      new Date('2025-02-01T00:00:00Z'),
    );

    expect(second).toMatchObject({ createdAt: first.createdAt, updatedAt: '2025-02-01T00:00:00.000Z' });
    expect((await deps.connections.get('sales'))?.settings.port).toBe(6432);
  });

  it("lists the organization's connections only, and deletes one", async () => {
    const other = new ConnectionStore(table.client, TABLE, 'other-org');
    await other.put({ name: 'theirs', type: 'mysql', settings: SETTINGS, hasSecret: false });
    await deps.connections.put({ name: 'doomed', type: 'mysql', settings: SETTINGS, hasSecret: false });

    const deleted = await deps.connections.delete('doomed');
    const deletedAgain = await deps.connections.delete('doomed');

    expect(deleted).toBe(true);
    expect(deletedAgain).toBe(false);
    expect((await deps.connections.list()).map((record) => record.name)).toStrictEqual(['sales']);
  });
});

describe('resolveConnection', () => {
  beforeAll(async () => {
    await deps.secrets.put(connectionSecretName('acme', 'warehouse'), SECRET);
    await deps.connections.put({ name: 'warehouse', type: 'postgres', settings: SETTINGS, hasSecret: true });
  });

  it('returns settings with their defaults and the secret from the store', async () => {
    const resolved = await resolveConnection('warehouse', 'postgres', deps);

    expect(resolved).toStrictEqual({
      name: 'warehouse',
      type: 'postgres',
      settings: { ...SETTINGS, ssl: false, connect_timeout_seconds: 10 },
      secret: SECRET,
    });
  });

  it('never writes the secret into the metadata table', async () => {
    const { Items = [] } = await table.client.send(new ScanCommand({ TableName: TABLE }));

    expect(JSON.stringify(Items)).not.toContain(SECRET);
  });

  it.each([
    [
      'nowhere',
      'postgres',
      'connection "nowhere" does not exist (organization acme); add it with `etl connections add nowhere',
    ],
    ['warehouse', 'mysql', 'connection "warehouse" is a postgres connection; this node needs mysql'],
  ] as const)('fails with a ConfigError for %s as %s', async (name, type, message) => {
    const error = await resolveConnection(name, type, deps).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(message);
  });

  it('fails clearly when the secret is gone from the store', async () => {
    await deps.connections.put({ name: 'orphan', type: 'postgres', settings: SETTINGS, hasSecret: true });

    await expect(resolveConnection('orphan', 'postgres', deps)).rejects.toThrow(
      `connection "orphan" has no secret in local encrypted file ${join(secretsDir, 'secrets.json')}`,
    );
  });
});
