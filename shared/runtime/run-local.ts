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
import type { ExecutionInput } from '../lambda/events.ts';
import type { Pipeline } from '../spec/schema.ts';
import type { NodeRun, RunRecord } from '../store/run-types.ts';
import { EventLogWriter, type PayloadStats } from './event-log.ts';
import { loadFunctionHandler } from './function-handlers.ts';
import type { EventLog, TaskResourceLocalHandlers } from './interpreter-types.ts';
import { lambdaInvokeAdapter } from './lambda-invoke-adapter.ts';
import { readItemsIntoState } from './local-item-reader.ts';
import { ensureLoaderBuckets, type LocalServices } from './local-services.ts';
import { LOCAL_ITEM_READER, lowerForLocal } from './lower-for-local.ts';

export interface LocalRunOptions {
  readonly parameters?: ExecutionInput['parameters'];
  readonly runId?: string;
  /** Called for every interpreter event, e.g. to draw progress. */
  readonly onEvent?: (event: EventLog) => void;
  /** Milliseconds to wait before each retry instead of the definition's backoff (tests). */
  readonly retryDelayMs?: number;
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
    handlers[name] = lambdaInvokeAdapter(functionName, handler, state.TimeoutSeconds);
  }
  return handlers;
}

export async function runPipelineLocally(
  pipeline: Pipeline,
  services: LocalServices,
  options: LocalRunOptions = {},
): Promise<LocalRunResult> {
  const startedAt = performance.now();
  const runId = options.runId ?? ulid();
  const definition = translatePipeline(pipeline, { resolveFunctionArn: localFunctionArn });
  const lowered = lowerForLocal(definition);
  const handlers = await localTaskHandlers(lowered);
  await ensureLoaderBuckets(services.s3, pipeline.nodes);
  const machine = new StateMachine(lowered);
  const input: ExecutionInput = { runId, parameters: options.parameters ?? {}, trigger: 'manual' };
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
      },
    },
  });

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

  const { store } = handlerDeps();
  let run = await store.getRun(runId);
  if (run?.status === 'running' && outcome instanceof ExecutionTimeoutError) {
    const message = `the run exceeded execution.timeout_seconds (${pipeline.execution.timeout_seconds} s)`;
    await store.finishRun(runId, 'timeout', new Date().toISOString(), { name: 'States.Timeout', message });
    run = await store.getRun(runId);
  }
  if (run === undefined) throw new Error(`run ${runId} ended without being recorded: see ${eventLogPath}`);
  return {
    runId,
    run,
    nodes: await store.getNodeRuns(runId),
    definition,
    eventLogPath,
    largestPayload,
    durationMs: Math.round(performance.now() - startedAt),
  };
}
