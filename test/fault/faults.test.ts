/**
 * Fault injection during real pipeline runs (issue 10): each seeded
 * scenario kills chunk workers, breaks the S3 or DynamoDB network, or times
 * out a Task, then lets retries, redrive and rerun-failed-chunks complete the
 * run; the destination must hold every expected row exactly once and every
 * node's counters must add up. `FAULT_SCENARIOS` sets how many (default 10),
 * `FAULT_SEED` the first seed; `FAULT_REPORT=1` (set by `npm run test:fault`)
 * rewrites the fault section of test/RELIABILITY.md; `FAULT_RESULTS=<file>`
 * keeps the outcomes of a seed range, for merge-results.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedFingerprints } from './expected-rows.ts';
import { type FaultEnvironment, startFaultEnvironment } from './fault-environment.ts';
import { writeFaultReport, writeFaultResults } from './report.ts';
import { runScenario, type ScenarioOutcome } from './run-scenario.ts';
import { DEFAULT_BASE_SEED, describeScenario, scenarioOf } from './scenarios.ts';

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, not ${JSON.stringify(raw)}`);
  return value;
}

const COUNT = positiveInteger('FAULT_SCENARIOS', 10);
const BASE_SEED = positiveInteger('FAULT_SEED', DEFAULT_BASE_SEED);
const scenarios = Array.from({ length: COUNT }, (_, index) => scenarioOf(BASE_SEED + index));

describe('fault injection', () => {
  let env: FaultEnvironment;
  const outcomes: ScenarioOutcome[] = [];
  const suiteStartedAt = performance.now();

  beforeAll(async () => {
    env = await startFaultEnvironment();
  });
  afterAll(async () => {
    await env?.close();
    const suiteMs = Math.round(performance.now() - suiteStartedAt);
    // A seed range run beside others keeps its outcomes for test/fault/merge-results.ts.
    const resultsPath = process.env.FAULT_RESULTS;
    if (resultsPath !== undefined && resultsPath !== '')
      await writeFaultResults(resultsPath, outcomes, suiteMs);
    if (process.env.FAULT_REPORT === '1' && outcomes.length === COUNT) {
      await writeFaultReport(outcomes, { baseSeed: BASE_SEED, suiteMs, shards: 1 });
    }
  });

  it.each(scenarios.map((scenario) => ({ scenario, label: describeScenario(scenario) })))(
    '$label',
    async ({ scenario }) => {
      const expected = await expectedFingerprints(scenario.pipeline);

      const outcome = await runScenario(env, scenario, expected);
      outcomes.push(outcome);
      // The seed and what happened, so a failure in CI can be replayed and read without rerunning.
      console.info(
        `[fault] ${describeScenario(scenario)}: ${outcome.completed ? 'completed' : 'NOT completed'} after ${outcome.executions} execution(s) in ${outcome.latencyMs} ms; ` +
          `rows ${outcome.loadedRows}/${outcome.expectedRows}, lost ${outcome.rowsLost}, duplicated ${outcome.rowsDuplicated}; ` +
          `injected ${JSON.stringify(outcome.injected)}; failures ${JSON.stringify(outcome.failures)}`,
      );

      const replay = `replay: FAULT_SEED=${scenario.seed} FAULT_SCENARIOS=1`;
      expect(outcome.completed, `${replay}; failures: ${outcome.failures.join(' | ')}`).toBe(true);
      expect(
        outcome.failures.filter((failure) => failure.startsWith('unrecorded')),
        replay,
      ).toStrictEqual([]);
      expect({ lost: outcome.rowsLost, duplicated: outcome.rowsDuplicated }, replay).toStrictEqual({
        lost: 0,
        duplicated: 0,
      });
      expect(outcome.counterProblems, replay).toStrictEqual([]);
    },
  );
});
