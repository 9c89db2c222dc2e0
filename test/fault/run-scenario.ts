/**
 * One scenario end to end: install its faults, start a real run, and while
 * it ends FAILED, check it recorded why and complete it by redrive or a
 * rerun of its failed chunks; then take the faults away and hold the
 * destination and the counters against the oracle.
 */
import { ulid } from 'ulid';
import { RerunNotPossibleError } from '../../shared/executions/errors.ts';
import { handlerDeps } from '../../shared/lambda/deps.ts';
import type { Pipeline } from '../../shared/spec/schema.ts';
import type { NodeRun, RunRecord } from '../../shared/store/run-types.ts';
import { compareMultisets, loadedFingerprints, loaderFor } from './destinations.ts';
import { FAULT_ORGANIZATION, type FaultEnvironment } from './fault-environment.ts';
import type { FaultCounts } from './http-fault-proxy.ts';
import { buildPipeline } from './pipelines.ts';
import type { Scenario } from './scenarios.ts';
import { SeededRandom } from './seeded-random.ts';
import { installWorkerFaults } from './worker-faults.ts';

/** Redrives or reruns after which a run that still fails counts as stuck. */
const MAX_RECOVERIES = 5;
const RUN_END_TIMEOUT_MS = 120_000;
const ENDED: readonly RunRecord['status'][] = ['success', 'failed', 'cancelled', 'timeout'];
/**
 * Long enough for a chunk on this machine under load; the timeout family sleeps past its own.
 * At 5 s, real chunk work under a load average of 20 also timed out (seed 20261199 on every redrive).
 */
export const TASK_TIMEOUT_SECONDS = { normal: 60, timeoutFamily: 10 } as const;

export interface ScenarioOutcome {
  readonly scenario: Scenario;
  /** Runs executed: the first, then each redrive or rerun. */
  readonly executions: number;
  readonly redrives: number;
  readonly reruns: number;
  /** Each failed execution's recorded error (`name: message`), or `unrecorded` if it had none. */
  readonly failures: readonly string[];
  readonly completed: boolean;
  readonly expectedRows: number;
  readonly loadedRows: number;
  readonly rowsLost: number;
  readonly rowsDuplicated: number;
  /** Nodes whose counters do not add up, or whose totals are not the oracle's. */
  readonly counterProblems: readonly string[];
  readonly injected: {
    readonly crashes: number;
    readonly timeouts: number;
    readonly s3: FaultCounts;
    readonly dynamoDb: FaultCounts;
    readonly sqlCuts: number;
  };
  /** From the first start to the end of the run that completed (or gave up). */
  readonly latencyMs: number;
}

async function waitForEnd(env: FaultEnvironment, runId: string): Promise<RunRecord> {
  const deadline = Date.now() + RUN_END_TIMEOUT_MS;
  for (;;) {
    const run = await env.store.getRun(runId);
    if (run !== undefined && ENDED.includes(run.status)) {
      // The status is written before the execution closes its books: let it finish.
      await env.service.drain();
      return run;
    }
    if (Date.now() > deadline)
      throw new Error(`run ${runId} is stuck: still ${run?.status} after ${RUN_END_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function countsSince(before: FaultCounts, after: FaultCounts): FaultCounts {
  return {
    requests: after.requests - before.requests,
    answered: after.answered - before.answered,
    droppedRequests: after.droppedRequests - before.droppedRequests,
    droppedResponses: after.droppedResponses - before.droppedResponses,
  };
}

function counterProblems(nodes: readonly NodeRun[], expectedRows: number): string[] {
  const problems: string[] = [];
  for (const node of nodes) {
    const { nodeId, rowsIn, rowsOut, rowsRejected, rowsFiltered } = node;
    if (rowsIn !== rowsOut + rowsRejected + rowsFiltered) {
      problems.push(
        `${nodeId}: rows_in ${rowsIn} <> rows_out ${rowsOut} + rejected ${rowsRejected} + filtered ${rowsFiltered}`,
      );
    }
  }
  const loader = nodes.find((node) => node.nodeId === 'dest');
  if (loader?.rowsOut !== expectedRows)
    problems.push(`dest: rows_out ${loader?.rowsOut} <> expected ${expectedRows}`);
  return problems;
}

/** Starts the next attempt of a failed run; returns the run id to wait for. */
async function recover(
  env: FaultEnvironment,
  scenario: Scenario,
  pipeline: Pipeline,
  failedRunId: string,
): Promise<{ runId: string; kind: 'redrive' | 'rerun' }> {
  if (scenario.recovery === 'rerun') {
    const runId = ulid();
    try {
      await env.service.rerunFailedChunks({
        organization: FAULT_ORGANIZATION,
        failedRunId,
        pipeline,
        pipelineVersion: 1,
        runId,
      });
      return { runId, kind: 'rerun' };
    } catch (error) {
      // A run that failed before its extractors planned has no chunks to reuse: redrive it instead.
      if (!(error instanceof RerunNotPossibleError)) throw error;
    }
  }
  await env.service.redrive(FAULT_ORGANIZATION, failedRunId);
  return { runId: failedRunId, kind: 'redrive' };
}

export async function runScenario(
  env: FaultEnvironment,
  scenario: Scenario,
  expected: readonly string[],
): Promise<ScenarioOutcome> {
  const name = `fault_${scenario.seed}`;
  const { fault } = scenario;
  const taskTimeoutSeconds =
    fault.family === 'task-timeout' ? TASK_TIMEOUT_SECONDS.timeoutFamily : TASK_TIMEOUT_SECONDS.normal;
  const pipeline = buildPipeline({
    name: scenario.pipeline,
    id: name.replaceAll('_', '-'),
    loader: loaderFor(env, scenario.destination, name),
    fuse: scenario.fuse,
    taskTimeoutSeconds,
  });
  const sqlProxy =
    scenario.destination === 'postgres'
      ? env.postgres.proxy
      : scenario.destination === 'mariadb'
        ? env.mariadb.proxy
        : undefined;
  const cutsBefore = sqlProxy?.cuts() ?? 0;
  const s3Before = { ...env.s3Proxy.counts };
  const dynamoDbBefore = { ...env.dynamoDbProxy.counts };
  const workers = installWorkerFaults({
    plan: fault,
    taskTimeoutSeconds,
    s3: () => handlerDeps(FAULT_ORGANIZATION).s3,
    ...(sqlProxy === undefined ? {} : { sqlProxy }),
  });
  const random = new SeededRandom(scenario.seed ^ 0x5eed);
  env.setNetworkFaults({
    random,
    active: workers.active,
    ...(fault.family === 's3-faults' ? { s3: { rate: fault.rate, dropShare: fault.dropShare } } : {}),
    ...(fault.family === 'dynamodb-throttling' ? { dynamoDbRate: fault.rate } : {}),
  });

  const startedAt = performance.now();
  const failures: string[] = [];
  let redrives = 0;
  let reruns = 0;
  let executions = 1;
  let run: RunRecord | undefined;
  try {
    let runId = ulid();
    await env.service.start({
      organization: FAULT_ORGANIZATION,
      pipeline,
      pipelineVersion: 1,
      runId,
      parameters: {},
      trigger: 'api',
    });
    run = await waitForEnd(env, runId);
    while (run.status !== 'success' && executions <= MAX_RECOVERIES) {
      failures.push(
        run.error === undefined ? `unrecorded (${run.status})` : `${run.error.name}: ${run.error.message}`,
      );
      const next = await recover(env, scenario, pipeline, runId);
      if (next.kind === 'redrive') redrives++;
      else reruns++;
      executions++;
      runId = next.runId;
      run = await waitForEnd(env, runId);
    }
  } catch (error) {
    // A run that never ends is an outcome (stuck), not a crash of the suite: the report counts it.
    failures.push(`stuck: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    env.setNetworkFaults(undefined);
    workers.uninstall();
  }
  const latencyMs = Math.round(performance.now() - startedAt);

  const loaded = await loadedFingerprints(env, scenario.destination, name);
  const { lost, duplicated } = compareMultisets(expected, loaded);
  const nodes = run === undefined ? [] : await env.store.getNodeRuns(run.runId);
  return {
    scenario,
    executions,
    redrives,
    reruns,
    failures,
    completed: run?.status === 'success',
    expectedRows: expected.length,
    loadedRows: loaded.length,
    rowsLost: lost,
    rowsDuplicated: duplicated,
    counterProblems: counterProblems(nodes, expected.length),
    injected: {
      crashes: workers.counts.crashes,
      timeouts: workers.counts.timeouts,
      s3: countsSince(s3Before, env.s3Proxy.counts),
      dynamoDb: countsSince(dynamoDbBefore, env.dynamoDbProxy.counts),
      sqlCuts: (sqlProxy?.cuts() ?? 0) - cutsBefore,
    },
    latencyMs,
  };
}
