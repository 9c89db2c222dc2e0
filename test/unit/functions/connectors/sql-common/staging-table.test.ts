import { describe, expect, it } from 'vitest';
import {
  chunkIndexFromStagingPrefix,
  isExpiredStagingTable,
  stagingTableName,
} from '../../../../../functions/connectors/sql-common/staging-table.ts';
import { loaderStagingPrefix } from '../../../../../shared/chunks/ref.ts';

const RUN = { runId: '01JABCDEFGHJKMNPQRSTVWXYZ0', startedAt: '2025-03-09T23:59:59.000Z' };

describe('stagingTableName', () => {
  it('is the same for a run and node every time, dated by the run, within both servers limits', () => {
    const name = stagingTableName(RUN, 'dest');

    expect(name).toBe(stagingTableName(RUN, 'dest'));
    expect(name).toMatch(/^_etl_stg_20250309_[0-9a-f]{12}$/);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(stagingTableName(RUN, 'other')).not.toBe(name);
  });
});

describe('isExpiredStagingTable', () => {
  it('expires staging tables past the 14-day redrive window, and nothing else', () => {
    const name = stagingTableName(RUN, 'dest');

    expect(isExpiredStagingTable(name, new Date('2025-03-20T00:00:00Z'))).toBe(false);
    expect(isExpiredStagingTable(name, new Date('2025-03-25T00:00:01Z'))).toBe(true);
    expect(isExpiredStagingTable('_etl_stg_orders', new Date('2030-01-01T00:00:00Z'))).toBe(false);
  });
});

describe('chunkIndexFromStagingPrefix', () => {
  it("reads the chunk index from the loader handler's staging prefix", () => {
    expect(chunkIndexFromStagingPrefix(loaderStagingPrefix(RUN.runId, 'dest', 42))).toBe(42);
  });

  it('fails for a prefix without a chunk', () => {
    expect(() => chunkIndexFromStagingPrefix(loaderStagingPrefix(RUN.runId, 'dest'))).toThrow(
      'names no chunk',
    );
  });
});
