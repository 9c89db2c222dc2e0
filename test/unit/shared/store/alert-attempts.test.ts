import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertStore } from '../../../../shared/store/alert-store.ts';
import { type LocalTable, startLocalTable, TABLE } from '../connections/dynalite.ts';

let table: LocalTable;

beforeAll(async () => {
  table = await startLocalTable();
});
afterAll(() => table.close());

function failure(runId: string, attempt?: number) {
  return {
    level: 'critical',
    type: 'run_failed',
    pipelineId: 'sales',
    runId,
    message: `run ${runId} failed`,
    ...(attempt === undefined ? {} : { attempt }),
  } as const;
}

describe('AlertStore.raise across redrives', () => {
  it('raises one alert per attempt of a run, however often each failure is delivered', async () => {
    const store = new AlertStore(table.client, TABLE, 'attempts');

    const first = await Promise.all([1, 2].map(() => store.raise(failure('01REDRIVE'))));
    const redriven = await Promise.all([1, 2].map(() => store.raise(failure('01REDRIVE', 1))));
    const again = await store.raise(failure('01REDRIVE', 2));

    expect(first.filter((result) => result.created)).toHaveLength(1);
    expect(redriven.filter((result) => result.created)).toHaveLength(1);
    expect(again.created).toBe(true);
    expect((await store.list()).items.map((alert) => alert.alertId).sort()).toStrictEqual([
      '01REDRIVE.1.run_failed',
      '01REDRIVE.2.run_failed',
      '01REDRIVE.run_failed',
    ]);
  });

  it('keeps the id of a first attempt as before redrives were counted', async () => {
    const store = new AlertStore(table.client, TABLE, 'first-attempt');

    const { alert } = await store.raise(failure('01FIRST', 0));

    expect(alert.alertId).toBe('01FIRST.run_failed');
  });

  it("resolves a redriven attempt's alert by its id", async () => {
    const store = new AlertStore(table.client, TABLE, 'resolve-attempt');
    const { alert } = await store.raise(failure('01RESOLVE', 3));

    const resolved = await store.resolve(alert.alertId);

    expect(resolved).toMatchObject({ alertId: '01RESOLVE.3.run_failed', resolved: true });
    expect((await store.get('01RESOLVE.run_failed').catch((error: Error) => error.name)) as string).toBe(
      'AlertNotFoundError',
    );
  });
});
