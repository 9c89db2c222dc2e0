/**
 * Faults of the chunk workers themselves, injected through the local
 * runtime's task interceptor (shared/runtime/fault-hooks.ts): a worker that
 * dies before it writes, between two of its S3 writes, after it wrote but
 * before it returns, or in the middle of a loader's commit; and a Task that outlives its TimeoutSeconds
 * (the function keeps running, as a Lambda does after Step Functions stopped
 * waiting for it). Also counts the Tasks in flight, so the network fault
 * proxies hit only the calls a run makes, not the test's own set-up.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { S3Client } from '@aws-sdk/client-s3';
import { type InterceptedTask, installTaskInterceptor } from '../../shared/runtime/fault-hooks.ts';
import { type Json, LambdaFunctionError } from '../../shared/runtime/lambda-invoke-adapter.ts';
import type { FaultPlan } from './scenarios.ts';
import type { TcpFaultProxy } from './tcp-fault-proxy.ts';

/** What Step Functions reports when a Lambda's process exits mid-invocation: not in any Retry, so the run fails. */
const KILLED = 'Runtime.ExitError';
const S3_WRITES = new Set([
  'PutObjectCommand',
  'CopyObjectCommand',
  'DeleteObjectCommand',
  'DeleteObjectsCommand',
]);

export interface WorkerFaultCounts {
  crashes: number;
  timeouts: number;
}

export interface WorkerFaultsOptions {
  readonly plan: FaultPlan;
  /** The pipeline's task_timeout_seconds: a timed-out Task sleeps past it. */
  readonly taskTimeoutSeconds: number;
  /** Where a commit to S3 writes (the handlers' client). */
  readonly s3: () => S3Client;
  /** In front of the SQL destination, for kills inside a SQL commit. */
  readonly sqlProxy?: TcpFaultProxy;
}

export interface WorkerFaults {
  readonly counts: WorkerFaultCounts;
  /** Whether any Task of a run is executing now. */
  active(): boolean;
  uninstall(): void;
}

function payloadOf(parameters: Json): Record<string, Json> {
  if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) return {};
  const payload = parameters.Payload;
  return typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? payload : {};
}

/** A chunk worker: a Map iteration's Task (it carries a chunk), not Plan, Commit or the control Tasks. */
const isChunkTask = (task: InterceptedTask) => 'chunk' in payloadOf(task.parameters);
const isCommitTask = (task: InterceptedTask) => payloadOf(task.parameters).action === 'commit';

function killed(task: InterceptedTask, where: string): LambdaFunctionError {
  const errorMessage = `fault injection: ${task.functionName} (${task.stateName}) was killed ${where}`;
  return new LambdaFunctionError(KILLED, JSON.stringify({ errorType: KILLED, errorMessage, trace: [] }));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Tells the S3 middleware which invocation a write belongs to: chunk Tasks run side by side. */
const invocation = new AsyncLocalStorage<object>();

/**
 * Runs the Task, killing it at its `writeOrdinal`-th S3 write (before the write
 * is sent): what it wrote before stays, nothing after happens.
 */
async function killedAtS3Write(
  task: InterceptedTask,
  s3: S3Client,
  writeOrdinal: number,
): Promise<{ result?: Json; killedAt?: number }> {
  const token = {};
  let writes = 0;
  let killedAt: number | undefined;
  const name = `fault-kill-at-write-${Math.random()}`;
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      if (
        invocation.getStore() === token &&
        killedAt === undefined &&
        S3_WRITES.has(context.commandName ?? '')
      ) {
        writes++;
        if (writes >= writeOrdinal) {
          killedAt = writes;
          throw killed(task, `before its S3 write #${writes}`);
        }
      }
      return next(args);
    },
    { step: 'initialize', name },
  );
  try {
    const result = await invocation.run(token, () => task.invoke(task.parameters));
    return killedAt === undefined ? { result } : { killedAt };
  } catch (error) {
    if (killedAt !== undefined) return { killedAt };
    throw error;
  } finally {
    s3.middlewareStack.remove(name);
  }
}

export function installWorkerFaults(options: WorkerFaultsOptions): WorkerFaults {
  const { plan } = options;
  const counts: WorkerFaultCounts = { crashes: 0, timeouts: 0 };
  let inFlight = 0;
  let chunkTasks = 0;
  let commits = 0;

  async function intercept(task: InterceptedTask): Promise<Json> {
    const chunkOrdinal = isChunkTask(task) ? ++chunkTasks : undefined;
    const commitOrdinal = isCommitTask(task) ? ++commits : undefined;

    if (plan.family === 'worker-crash' && plan.point !== 'inside-commit' && chunkOrdinal !== undefined) {
      if (plan.ordinals.includes(chunkOrdinal)) {
        if (plan.point === 'mid-write') {
          const outcome = await killedAtS3Write(task, options.s3(), plan.writeOrdinal);
          // A chunk with fewer writes than that completes: nothing was injected.
          if (outcome.killedAt === undefined) return outcome.result ?? null;
          counts.crashes++;
          throw killed(task, `before its S3 write #${outcome.killedAt}`);
        }
        counts.crashes++;
        if (plan.point === 'before-write') throw killed(task, 'before writing');
        await task.invoke(task.parameters);
        throw killed(task, 'after writing, before returning');
      }
    }
    if (plan.family === 'worker-crash' && plan.point === 'inside-commit' && commitOrdinal !== undefined) {
      // Only the first commit attempts die, so the run can complete once they are over.
      const ordinal = plan.ordinals[commitOrdinal - 1];
      if (ordinal !== undefined) {
        if (options.sqlProxy !== undefined) {
          // Past the connection's start-up messages, into the commit's statements.
          options.sqlProxy.arm(ordinal * 3 + 2);
          const cutsBefore = options.sqlProxy.cuts();
          try {
            return await task.invoke(task.parameters);
          } finally {
            options.sqlProxy.disarm();
            if (options.sqlProxy.cuts() > cutsBefore) counts.crashes++;
          }
        }
        const outcome = await killedAtS3Write(task, options.s3(), ordinal);
        if (outcome.killedAt === undefined) return outcome.result ?? null;
        counts.crashes++;
        throw killed(task, `inside its commit, before its S3 write #${outcome.killedAt}`);
      }
    }
    if (plan.family === 'task-timeout') {
      const ordinal = plan.point === 'chunk' ? chunkOrdinal : commitOrdinal;
      if (ordinal === plan.ordinal) {
        counts.timeouts++;
        // Past TimeoutSeconds the interpreter fails the Task with States.Timeout; the function runs on.
        await sleep(options.taskTimeoutSeconds * 1000 + 500);
      }
    }
    return task.invoke(task.parameters);
  }

  const uninstall = installTaskInterceptor(async (task) => {
    inFlight++;
    try {
      return await intercept(task);
    } finally {
      inFlight--;
    }
  });
  return { counts, active: () => inFlight > 0, uninstall };
}
