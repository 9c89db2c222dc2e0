import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Watermark, WatermarkStore } from '../../../../shared/store/watermark-store.ts';
import { type LocalTable, startLocalTable, TABLE } from '../connections/dynalite.ts';

let table: LocalTable;
let store: WatermarkStore;

function pending(runId: string, value: string, nodeId = 'orders'): Watermark {
  return {
    pipelineId: 'sales',
    nodeId,
    column: 'updated_at',
    type: 'TIMESTAMP WITH TIME ZONE',
    value,
    runId,
    updatedAt: '2025-01-01T00:00:00.000Z',
  };
}

beforeAll(async () => {
  table = await startLocalTable();
  store = new WatermarkStore(table.client, TABLE, 'acme');
});
afterAll(() => table.close());

describe('WatermarkStore', () => {
  it('saves nothing until the run is promoted, then saves each node once', async () => {
    await store.stage(pending('01A', '2025-01-01 10:00:00+00'));
    await store.stage(pending('01A', '42', 'items'));
    const before = await store.get('sales', 'orders');

    const promoted = await store.promote('01A');
    const again = await store.promote('01A');

    expect(before).toBeUndefined();
    expect(promoted.map((mark) => mark.nodeId).sort()).toStrictEqual(['items', 'orders']);
    expect(again).toHaveLength(2);
    expect(await store.get('sales', 'orders')).toStrictEqual(pending('01A', '2025-01-01 10:00:00+00'));
    expect((await store.list('sales')).map((mark) => mark.nodeId).sort()).toStrictEqual(['items', 'orders']);
  });

  it('never moves a watermark back to an earlier-started run that finishes late', async () => {
    await store.stage(pending('01C', '2025-03-01 00:00:00+00'));
    await store.stage(pending('01B', '2025-02-01 00:00:00+00'));
    await store.promote('01C');

    const late = await store.promote('01B');

    expect(late).toStrictEqual([]);
    expect((await store.get('sales', 'orders'))?.value).toBe('2025-03-01 00:00:00+00');
  });

  it('resets a node, returning what it was', async () => {
    const previous = await store.reset('sales', 'items');

    expect(previous?.value).toBe('42');
    expect(await store.get('sales', 'items')).toBeUndefined();
    expect(await store.reset('sales', 'items')).toBeUndefined();
  });
});
