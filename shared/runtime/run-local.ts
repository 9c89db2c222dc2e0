/**
 * `etl run`: the same ASL the cloud runs, executed by the ASL interpreter,
 * each Lambda Task routed to its handler in-process through the exact
 * lambda:invoke request/response shape, with the handlers talking to the
 * S3 and DynamoDB emulators through the real SDK clients.
 */
import { join } from 'node:path';
import { ExecutionTimeoutError, StateMachine } from 'aws-local-stepfunctions';
import { ulid } from 'ulid';
import type { StateMachineDefinition } from '../../statemachines/asl-types.ts';
import { functionNameFromLocalArn, localFunctionArn } from '../../statemachines/function-names.ts';
import { listTaskStates } from '../../statemachines/task-states.ts';
import { translatePipeline } from '../../statemachines/translate.ts';
import { handlerDeps } from '../lambda/deps.ts';
import { DEFAULT_ORGANIZATION, type ExecutionInput } from '../lambda/events.ts';
import { recordRunLineage } from '../lineage/record.ts';
import { notifyLocalRunEnd } from '../notifications/notify-run-end.ts';
import type { Pipeline } from '../spec/schema.ts';
import type { NodeRun, RunRecord, RunTrigger } from '../store/run-types.ts';
import { EventLogWriter, type PayloadStats } from './event-log.ts';
import { interceptTask } from './fault-hooks.ts';
import { loadFunctionHandler } from './function-handlers.ts';
import type { EventLog, TaskResourceLocalHandlers } from './interpreter-types.ts';
import { lambdaInvokeAdapter } from './lambda-invoke-adapter.ts';
import { readItemsIntoState } from './local-item-reader.ts';
import { ensureLoaderBuckets, type LocalServices } from './local-services.ts';
import { LOCAL_ITEM_READER, lowerForLocal } from './lower-for-local.ts';
import { TaskGate } from './task-gate.ts';

export interface LocalRunOptions {
  readonly parameters?: ExecutionInput['parameters'];
  readonly runId?: string;
  /** Called for every interpreter event, e.g. to draw progress. */
  readonly onEvent?: (event: EventLog) => void;
  /** Milliseconds to wait before each retry instead of the definition's backoff (tests). */
  readonly retryDelayMs?: number;
  /** Tenant of the run (default `local`): every key it writes is under it. */
  readonly organization?: string;
  readonly trigger?: RunTrigger;
  readonly pipelineVersion?: number;
  /** See `ExecutionInput`: a rerun of failed chunks, and the run whose completed chunks are reused. */
  readonly rerunOf?: string;
  readonly resumeFrom?: string;
  /** A preview: each extractor processes only its first this-many chunks. */
  readonly sampleChunks?: number;
  /** Redrives of this run before this execution, as Step Functions counts them (default 0). */
  readonly redriveCount?: number;
}

/** A run going on in the background. */
export interface LocalExecution {
  readonly runId: string;
  readonly organization: string;
  /** Settles once the run ended and its outcome is in the store. */
  readonly done: Promise<LocalRunResult>;
  /** Stops the run: no task starts after this, and the run ends `cancelled` (unless it already succeeded). */
  cancel(): void;
}

export interface LocalRunResult {
  readonly runId: string;
  readonly run: RunRecord;
  readonly nodes: readonly NodeRun[];
  readonly definition: StateMachineDefinition;
  readonly eventLogPath: string;
  readonly largestPayload: PayloadStats;
  readonly durationMs: number;
}

async function localTaskHandlers(definition: StateMachineDefinition): Promise<TaskResourceLocalHandlers> {
  const handlers: TaskResourceLocalHandlers = {};
  for (const { name, state } of listTaskStates(definition)) {
    const functionName = functionNameFromLocalArn(state.Parameters.FunctionName);
    if (functionName === undefined)
      throw new Error(
        `state "${name}" invokes ${state.Parameters.FunctionName}, which is not a local function`,
      );
    const handler =
      functionName === LOCAL_ITEM_READER ? readItemsIntoState : await loadFunctionHandler(functionName);
    handlers[name] = interceptTask(
      name,
      functionName,
      lambdaInvokeAdapter(functionName, handler, state.TimeoutSeconds),
    );
  }
  return handlers;
}

/** Runs a pipeline to its end; the run's outcome is in the result (a failed run does not throw). */
export async function runPipelineLocally(
  pipeline: Pipeline,
  services: LocalServices,
  options: LocalRunOptions = {},
): Promise<LocalRunResult> {
  return (await startPipelineLocally(pipeline, services, options)).done;
}

function executionInput(runId: string, options: LocalRunOptions): ExecutionInput {
  return {
    runId,
    parameters: options.parameters ?? {},
    trigger: options.trigger ?? 'manual',
    organization: options.organization ?? DEFAULT_ORGANIZATION,
    ...(options.pipelineVersion === undefined ? {} : { pipelineVersion: options.pipelineVersion }),
    ...(options.rerunOf === undefined ? {} : { rerunOf: options.rerunOf }),
    ...(options.resumeFrom === undefined ? {} : { resumeFrom: options.resumeFrom }),
    ...(options.sampleChunks === undefined ? {} : { sampleChunks: options.sampleChunks }),
  };
}

/**
 * Starts a run and returns once the execution is under way (the definition
 * translated, handlers loaded); `done` settles when it ends.
 */
export async function startPipelineLocally(
  pipeline: Pipeline,
  services: LocalServices,
  options: LocalRunOptions = {},
): Promise<LocalExecution> {
  const startedAt = performance.now();
  const runId = options.runId ?? ulid();
  const definition = translatePipeline(pipeline, { resolveFunctionArn: localFunctionArn });
  const lowered = lowerForLocal(definition);
  const gate = new TaskGate();
  let cancelled = false;
  const handlers = gate.guard(await localTaskHandlers(lowered), runId);
  await ensureLoaderBuckets(services.s3, pipeline.nodes);
  // asl-validator compiles its JSON schemas on every call: 160-740 ms per run, a third of a
  // small pipeline's local run. The translator's output is checked by it in tests instead
  // (translate.property, the 10,000-pipeline fuzz, every example), and by AWS on deploy.
  const machine = new StateMachine(lowered, { validationOptions: { noValidate: true } });
  const input = executionInput(runId, options);
  const retryIntervalOverrides =
    options.retryDelayMs === undefined
      ? undefined
      : Object.fromEntries(Object.keys(handlers).map((name) => [name, options.retryDelayMs as number]));

  const execution = machine.run(input, {
    overrides: {
      taskResourceLocalHandlers: handlers,
      ...(retryIntervalOverrides ? { retryIntervalOverrides } : {}),
    },
    context: {
      Execution: {
        Id: `arn:aws:states:us-east-1:000000000000:execution:${pipeline.id ?? 'local'}:${runId}`,
        Name: runId,
        Input: input,
        StartTime: new Date().toISOString(),
        // As in the cloud's context object: OnFailure tells a redriven attempt's failure by it.
        RedriveCount: options.redriveCount ?? 0,
      },
    },
  });

  const done = (async (): Promise<LocalRunResult> => {
    const eventLogPath = join(services.dataDir, 'runs', runId, 'events.jsonl');
    const log = await EventLogWriter.open(eventLogPath);
    for await (const event of execution.eventLogs) {
      log.write(event);
      options.onEvent?.(event);
    }
    // A failed execution is recorded by OnFailure; the store, not the exception, is the outcome.
    // Only an execution timeout skips OnFailure (as in the cloud), so it is closed here.
    const outcome = await execution.result.then(
      () => undefined,
      (error: unknown) => error,
    );
    const largestPayload = await log.close();

    const { store } = handlerDeps(input.organization);
    // The execution is over, but tasks of Map iterations it abandoned (on a failure, a timeout or a
    // stop) may still be running and writing counters: none starts from now on, and the run ends
    // once they settle, so what a redrive or rerun reads about its chunks no longer changes.
    gate.close();
    await gate.settled();
    let run = await store.getRun(runId);
    if (run?.status === 'running' && outcome instanceof ExecutionTimeoutError) {
      const message = `the run exceeded execution.timeout_seconds (${pipeline.execution.timeout_seconds} s)`;
      await store.finishRun(runId, 'timeout', new Date().toISOString(), { name: 'States.Timeout', message });
      // A preview's sample run is nobody's run: no alert, no notification.
      if (options.sampleChunks === undefined)
        await notifyLocalRunEnd(
          input.organization,
          runId,
          'timeout',
          { name: 'States.Timeout', message },
          options.redriveCount ?? 0,
        );
      run = await store.getRun(runId);
    } else if (run !== undefined && (run.status === 'pending' || run.status === 'running') && cancelled) {
      // Stopped before it ended: an outcome already recorded (success, failure) stands.
      await store.finishRun(runId, 'cancelled', new Date().toISOString(), {
        name: 'RunCancelled',
        message: 'the run was cancelled',
      });
      run = await store.getRun(runId);
    }
    if (run === undefined) throw new Error(`run ${runId} ended without being recorded: see ${eventLogPath}`);
    // Lineage needs the pipeline's graph: Finalize reads a stored version's, a file run's is only here.
    // A preview's sample run is forgotten right after: no lineage for it.
    const fileRun = options.sampleChunks === undefined && options.pipelineVersion === undefined;
    if (run.status === 'success' && fileRun)
      await recordRunLineage(pipeline, run, handlerDeps(input.organization));
    return {
      runId,
      run,
      nodes: await store.getNodeRuns(runId),
      definition,
      eventLogPath,
      largestPayload,
      durationMs: Math.round(performance.now() - startedAt),
    };
  })();

  return {
    runId,
    organization: input.organization,
    done,
    cancel() {
      cancelled = true;
      gate.close();
      execution.abort();
    },
  };
}
