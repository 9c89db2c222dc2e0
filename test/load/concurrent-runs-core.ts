/**
 * Starts `count` runs of real pipelines at once through the local runtime
 * (one process, one pair of emulators, the real PostgreSQL), waits for all,
 * then checks every run against the DuckDB oracle of its kind. Used by
 * `npm run test:concurrent` (20 runs) and by an integration test (5 runs).
 */

import { type LocalExecution, startPipelineLocally } from '../../shared/runtime/run-local.ts';
import type { Pipeline } from '../../shared/spec/schema.ts';
import { putLocalFile, startTestEnvironment } from '../integration/harness.ts';
import {
  addConnection,
  POSTGRES,
  postgresFixture,
  uniqueName,
} from '../integration/sql-connectors-fixtures.ts';
import { checkRun } from './concurrent-check.ts';
import { type DestinationReaders, INPUTS, type RunKind } from './concurrent-kind.ts';
import { RUN_KINDS } from './concurrent-kinds.ts';

export interface ConcurrentRunOutcome {
  readonly index: number;
  readonly kind: string;
  readonly runId: string;
  readonly status: string;
  readonly durationMs: number;
  readonly rowsChecked: number;
  readonly problems: readonly string[];
}

export interface ConcurrentRunsFigures {
  readonly runs: number;
  readonly kinds: readonly string[];
  /** From the first start to the last run's end. */
  readonly wallMs: number;
  readonly runP50Ms: number;
  readonly runMaxMs: number;
  readonly rowsChecked: number;
  /** Runs with at least one problem (a failed run, an unbalanced counter, a destination unlike its oracle). */
  readonly mismatchedRuns: number;
  /** Kinds whose runs did not all report the same counters. */
  readonly kindsWithDifferingCounters: readonly string[];
  readonly outcomes: readonly ConcurrentRunOutcome[];
}

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? 0;
}

async function checkAll(
  readers: DestinationReaders,
  started: readonly { kind: RunKind; pipeline: Pipeline; execution: LocalExecution }[],
): Promise<{ outcomes: ConcurrentRunOutcome[]; countersByKind: Map<string, Set<string>> }> {
  const oracles = new Map<string, Awaited<ReturnType<RunKind['oracle']>>>();
  for (const kind of RUN_KINDS) oracles.set(kind.name, await kind.oracle());
  const outcomes: ConcurrentRunOutcome[] = [];
  const countersByKind = new Map<string, Set<string>>();
  for (const [index, { kind, pipeline, execution }] of started.entries()) {
    const result = await execution.done;
    const oracle = oracles.get(kind.name);
    if (oracle === undefined) throw new Error(`no oracle for kind ${kind.name}`);
    const actual = result.run.status === 'success' ? await kind.destination(index, readers) : {};
    const check = checkRun(pipeline, result, oracle, actual);
    const seen = countersByKind.get(kind.name) ?? new Set<string>();
    countersByKind.set(kind.name, seen.add(check.counters));
    outcomes.push({
      index,
      kind: kind.name,
      runId: result.runId,
      status: result.run.status,
      durationMs: result.durationMs,
      rowsChecked: check.rowsChecked,
      problems: check.problems,
    });
  }
  return { outcomes, countersByKind };
}

export async function runConcurrently(count: number): Promise<ConcurrentRunsFigures> {
  const env = await startTestEnvironment();
  try {
    const postgres = await postgresFixture();
    try {
      const postgresConnection = uniqueName('pg');
      await addConnection(postgresConnection, 'postgres', { ...POSTGRES });
      for (const input of INPUTS) await putLocalFile(env, input.path, input.bucket, input.key);
      const readers: DestinationReaders = { env, postgres, postgresConnection };
      const planned: { kind: RunKind; pipeline: Pipeline }[] = [];
      for (let index = 0; index < count; index += 1) {
        const kind = RUN_KINDS[index % RUN_KINDS.length] as RunKind;
        planned.push({ kind, pipeline: await kind.pipeline(index, readers) });
      }

      // All started before any is awaited: they run side by side in this process.
      const startedAt = performance.now();
      const started = await Promise.all(
        planned.map(async ({ kind, pipeline }) => ({
          kind,
          pipeline,
          execution: await startPipelineLocally(pipeline, env.services, {
            ...(kind.parameters ? { parameters: kind.parameters } : {}),
          }),
        })),
      );
      await Promise.all(started.map(({ execution }) => execution.done));
      const wallMs = Math.round(performance.now() - startedAt);

      const { outcomes, countersByKind } = await checkAll(readers, started);
      const durations = outcomes.map((outcome) => outcome.durationMs);
      return {
        runs: count,
        kinds: [...new Set(outcomes.map((outcome) => outcome.kind))],
        wallMs,
        runP50Ms: percentile(durations, 0.5),
        runMaxMs: Math.max(...durations),
        rowsChecked: outcomes.reduce((sum, outcome) => sum + outcome.rowsChecked, 0),
        mismatchedRuns: outcomes.filter((outcome) => outcome.problems.length > 0).length,
        kindsWithDifferingCounters: [...countersByKind]
          .filter(([, counters]) => counters.size > 1)
          .map(([kind]) => kind),
        outcomes,
      };
    } finally {
      // Drops the schema with every run's table.
      await postgres.close();
    }
  } finally {
    await env.close();
  }
}
