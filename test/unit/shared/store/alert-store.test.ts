import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertNotFoundError, AlertStore } from '../../../../shared/store/alert-store.ts';
import { InvalidCursorError } from '../../../../shared/store/cursor.ts';
import { type LocalTable, startLocalTable, TABLE } from '../connections/dynalite.ts';

let table: LocalTable;

beforeAll(async () => {
  table = await startLocalTable();
});
afterAll(() => table.close());

function failure(runId: string) {
  return {
    level: 'critical',
    type: 'run_failed',
    pipelineId: 'sales',
    runId,
    message: `run ${runId} failed`,
  } as const;
}

describe('AlertStore.raise', () => {
  it('writes one alert per run and type, however often it is raised', async () => {
    const store = new AlertStore(table.client, TABLE, 'raise');

    const results = await Promise.all([1, 2, 3].map(() => store.raise(failure('01RAISE'))));
    const quality = await store.raise({ ...failure('01RAISE'), type: 'quality_failed', level: 'warning' });

    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(results.map((result) => result.alert.alertId))).toStrictEqual(
      new Set(['01RAISE.run_failed']),
    );
    expect(quality.created).toBe(true);
    expect((await store.list()).items.map((alert) => alert.type)).toStrictEqual([
      'run_failed',
      'quality_failed',
    ]);
  });

  it('returns exactly the Alert shape of the API', async () => {
    const store = new AlertStore(table.client, TABLE, 'shape');

    const { alert } = await store.raise(failure('01SHAPE'), new Date('2026-01-02T03:04:05.000Z'));

    expect(alert).toStrictEqual({
      alertId: '01SHAPE.run_failed',
      level: 'critical',
      type: 'run_failed',
      pipelineId: 'sales',
      runId: '01SHAPE',
      message: 'run 01SHAPE failed',
      createdAt: '2026-01-02T03:04:05.000Z',
      resolved: false,
    });
    expect(await store.get(alert.alertId)).toStrictEqual(alert);
    const stored = await table.client.send(
      new GetCommand({ TableName: TABLE, Key: { pk: 'ORG#shape', sk: 'ALERT#01SHAPE.run_failed' } }),
    );
    expect(stored.Item?.resolved).toBe(false);
  });
});

describe('AlertStore.list', () => {
  it('lists newest first, filters on resolved and pages with a cursor', async () => {
    const store = new AlertStore(table.client, TABLE, 'list');
    for (const runId of ['01L1', '01L2', '01L3', '01L4', '01L5']) await store.raise(failure(runId));
    await store.resolve('01L2.run_failed');
    await store.resolve('01L4.run_failed');

    const first = await store.list({ resolved: false, limit: 2 });
    const second = await store.list({ resolved: false, limit: 2, cursor: first.nextCursor });
    const resolved = await store.list({ resolved: true });

    expect(first.items.map((alert) => alert.runId)).toStrictEqual(['01L5', '01L3']);
    expect(second.items.map((alert) => alert.runId)).toStrictEqual(['01L1']);
    expect(resolved.items.map((alert) => alert.runId)).toStrictEqual(['01L4', '01L2']);
    expect(resolved.items.every((alert) => alert.resolved)).toBe(true);
  });

  it('keeps organizations apart, cursors included', async () => {
    const acme = new AlertStore(table.client, TABLE, 'acme');
    const globex = new AlertStore(table.client, TABLE, 'globex');
    await acme.raise(failure('01A1'));
    await acme.raise(failure('01A2'));
    await globex.raise(failure('01G1'));

    const page = await acme.list({ limit: 1 });

    expect((await globex.list()).items.map((alert) => alert.runId)).toStrictEqual(['01G1']);
    await expect(globex.list({ cursor: page.nextCursor })).rejects.toThrow(InvalidCursorError);
    await expect(globex.resolve('01A1.run_failed')).rejects.toThrow(AlertNotFoundError);
  });
});

describe('AlertStore.resolve', () => {
  it('marks the alert resolved and returns it', async () => {
    const store = new AlertStore(table.client, TABLE, 'resolve');
    await store.raise(failure('01R1'));

    const resolved = await store.resolve('01R1.run_failed');
    const again = await store.resolve('01R1.run_failed');

    expect(resolved.resolved).toBe(true);
    expect(again).toStrictEqual(resolved);
  });

  it.each(['01NOPE.run_failed', 'not-an-alert', 'x.run_failed#'])(
    'fails when the alert %s does not exist',
    async (id) => {
      const store = new AlertStore(table.client, TABLE, 'resolve');

      await expect(store.resolve(id)).rejects.toThrow(AlertNotFoundError);
      await expect(store.resolve(id)).rejects.toThrow(`alert ${id} does not exist`);
    },
  );
});
