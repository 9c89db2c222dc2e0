/**
 * Regression (found by seed 20261184): a loader's commit to S3 dies after
 * publishing some (or all) of a run's files, the run fails, and a rerun of
 * its failed chunks commits again. The rerun publishes as the run it
 * completes, so the failed commit's files are overwritten, not kept beside
 * the rerun's: every row once, even after two reruns in a row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedFingerprints } from './expected-rows.ts';
import { type FaultEnvironment, startFaultEnvironment } from './fault-environment.ts';
import { runScenario } from './run-scenario.ts';
import type { Scenario } from './scenarios.ts';

/** `strikes` stages 3 chunks, one file each: a commit writes 3 files, then the manifest (write 4). */
const CASES = [
  // As when a step after the commit fails: the failed run had published every file.
  { label: 'after every file, before the manifest', ordinals: [4] },
  // Part of the files, then a rerun whose commit dies too: the second rerun completes a chain of two.
  { label: 'after 1 of 3 files, and the rerun in its commit too', ordinals: [2, 3] },
] as const;

describe('a rerun after a commit that died part-way', () => {
  let env: FaultEnvironment;

  beforeAll(async () => {
    env = await startFaultEnvironment();
  });
  afterAll(() => env?.close());

  it.each(CASES.map((testCase, index) => ({ ...testCase, seed: 900 + index })))(
    'publishes every row exactly once when the first commit died $label',
    async ({ ordinals, seed }) => {
      const scenario: Scenario = {
        seed,
        fault: { family: 'worker-crash', point: 'inside-commit', ordinals, writeOrdinal: 1 },
        pipeline: 'strikes',
        destination: 's3-parquet',
        fuse: true,
        recovery: 'rerun',
      };

      const outcome = await runScenario(env, scenario, await expectedFingerprints('strikes'));

      expect(outcome.injected.crashes).toBe(ordinals.length);
      expect(outcome.reruns).toBe(ordinals.length);
      expect(outcome.completed).toBe(true);
      expect({ lost: outcome.rowsLost, duplicated: outcome.rowsDuplicated }).toStrictEqual({
        lost: 0,
        duplicated: 0,
      });
      expect(outcome.counterProblems).toStrictEqual([]);
    },
  );
});
