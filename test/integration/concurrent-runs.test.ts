/**
 * Runs at once in one local runtime (the fast slice of `npm run test:concurrent`):
 * one run of each kind (birdstrikes to Parquet at two parameter values, movies
 * forked into two Parquet loaders, weather into PostgreSQL, zipcodes through
 * a barrier), started together, each destination equal to its DuckDB oracle.
 */
import { describe, expect, it } from 'vitest';
import { RUN_KINDS } from '../load/concurrent-kinds.ts';
import { runConcurrently } from '../load/concurrent-runs-core.ts';

describe('runs started at once', () => {
  it('all succeed, and every destination and counter matches its oracle', async () => {
    const figures = await runConcurrently(RUN_KINDS.length);

    expect(figures.outcomes.flatMap((outcome) => outcome.problems)).toStrictEqual([]);
    expect(figures.outcomes.map((outcome) => outcome.status)).toStrictEqual(RUN_KINDS.map(() => 'success'));
    expect(figures.kinds).toStrictEqual(RUN_KINDS.map((kind) => kind.name));
    expect(figures.rowsChecked).toBeGreaterThan(0);
  });
});
