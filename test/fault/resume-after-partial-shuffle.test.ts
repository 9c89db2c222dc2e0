/**
 * Regression (found by seed 20261137): a chunk worker dies while shuffling
 * into a barrier, after its nodes recorded their counters and part of its
 * bucket files were written. Redrive and rerun took the chunk as complete
 * (its counters were there) and the barrier reduced the partial shuffle:
 * groups were lost. A chunk now counts as complete only once the barrier it
 * feeds started its reduce, so the chunk is shuffled again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedFingerprints } from './expected-rows.ts';
import { type FaultEnvironment, startFaultEnvironment } from './fault-environment.ts';
import { runScenario } from './run-scenario.ts';
import type { Scenario } from './scenarios.ts';

describe('a redrive or rerun after a worker died inside its shuffle', () => {
  let env: FaultEnvironment;

  beforeAll(async () => {
    env = await startFaultEnvironment();
  });
  afterAll(() => env?.close());

  it.each([
    { recovery: 'redrive', seed: 910 },
    { recovery: 'rerun', seed: 911 },
  ] as const)('delivers every group exactly once after a $recovery', async ({ recovery, seed }) => {
    // flights-20k.json is one chunk; fused, its Task writes the shuffle schema, then one file per bucket.
    const scenario: Scenario = {
      seed,
      fault: { family: 'worker-crash', point: 'mid-write', ordinals: [1], writeOrdinal: 3 },
      pipeline: 'flights-by-origin',
      destination: 's3-parquet',
      fuse: true,
      recovery,
    };

    const outcome = await runScenario(env, scenario, await expectedFingerprints('flights-by-origin'));

    expect(outcome.injected.crashes).toBe(1);
    expect(outcome.completed).toBe(true);
    expect({ lost: outcome.rowsLost, duplicated: outcome.rowsDuplicated }).toStrictEqual({
      lost: 0,
      duplicated: 0,
    });
    expect(outcome.counterProblems).toStrictEqual([]);
  });
});
