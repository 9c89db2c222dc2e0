/** The run list behind GET /runs: newest first, filtered, paged with cursors that resume exactly. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidCursorError } from '../../../../shared/store/cursor.ts';
import { type RunListOptions, RunStore } from '../../../../shared/store/run-store.ts';
import type { RunStatus } from '../../../../shared/store/run-types.ts';
import { type LocalTable, startLocalTable, TABLE } from '../../shared/connections/dynalite.ts';

let table: LocalTable;
let store: RunStore;
const STATUSES: RunStatus[] = ['success', 'failed', 'running'];

beforeAll(async () => {
  table = await startLocalTable();
  store = new RunStore(table.client, TABLE, 'acme');
  for (let index = 0; index < 30; index++) {
    await store.startRun(
      {
        runId: `01J${String(index).padStart(23, '0')}`,
        pipelineId: index % 2 === 0 ? 'even' : 'odd',
        pipelineName: 'p',
        status: STATUSES[index % 3] as RunStatus,
        trigger: 'api',
        parameters: {},
        startedAt: new Date(Date.UTC(2026, 0, 1, 0, index)).toISOString(),
      },
      [],
    );
  }
});
afterAll(() => table.close());

async function all(options: Omit<RunListOptions, 'cursor'>): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listRunsPage({ ...options, ...(cursor ? { cursor } : {}) });
    expect(page.items.length).toBeLessThanOrEqual(options.limit);
    ids.push(...page.items.map((run) => run.runId));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

const id = (index: number) => `01J${String(index).padStart(23, '0')}`;

describe('listRunsPage', () => {
  it('pages newest first without losing or repeating a run', async () => {
    expect(await all({ limit: 7 })).toStrictEqual(Array.from({ length: 30 }, (_, i) => id(29 - i)));
  });

  it('filters by pipeline and status, pages of the filtered runs', async () => {
    const expected = Array.from({ length: 30 }, (_, i) => 29 - i)
      .filter((i) => i % 2 === 0 && STATUSES[i % 3] === 'failed')
      .map(id);
    expect(await all({ limit: 2, pipelineId: 'even', status: 'failed' })).toStrictEqual(expected);
    const first = await store.listRunsPage({ limit: 3, status: 'success' });
    expect(first.items.map((run) => run.status)).toStrictEqual(['success', 'success', 'success']);
    expect(first.nextCursor).toBeDefined();
  });

  it('refuses a cursor of another organization', async () => {
    const page = await store.listRunsPage({ limit: 1 });
    const other = new RunStore(table.client, TABLE, 'globex');
    await expect(other.listRunsPage({ limit: 1, cursor: page.nextCursor as string })).rejects.toThrow(
      InvalidCursorError,
    );
  });

  it('reads several runs by id at once', async () => {
    const runs = await store.getRunsById([id(1), id(2), id(2), 'missing']);
    expect([...runs.keys()].sort()).toStrictEqual([id(1), id(2)]);
  });
});
