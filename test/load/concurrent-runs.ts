/**
 * Concurrent runs (issue 10): CONCURRENT_RUNS (default 20) runs of real
 * pipelines started at once through the local runtime, each checked against
 * a DuckDB oracle over its input (see concurrent-runs-core.ts). Writes
 * test/load/results/concurrent.json and regenerates test/RELIABILITY.md.
 *
 *   npm run test:concurrent
 */
import { judgeConcurrentRuns } from './concurrent-report.ts';
import { runConcurrently } from './concurrent-runs-core.ts';
import { writeReliabilityReport } from './report.ts';
import { machine, writeResult } from './results.ts';

const runs = Number(process.env.CONCURRENT_RUNS ?? 20);
if (!Number.isInteger(runs) || runs <= 0) throw new Error('CONCURRENT_RUNS must be a positive integer');

const machineBefore = machine();
const figures = await runConcurrently(runs);
const result = judgeConcurrentRuns(figures, machineBefore, machine());
const path = await writeResult('concurrent', result);
await writeReliabilityReport();
console.log(
  `concurrent runs: ${result.verdict.pass ? 'PASS' : 'FAIL'} (${path}): wall ${figures.wallMs} ms, run p50 ${figures.runP50Ms} ms, max ${figures.runMaxMs} ms`,
);
for (const reason of result.verdict.reasons) console.log(`  ${reason}`);
if (!result.verdict.pass) process.exitCode = 1;
