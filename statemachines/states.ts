/**
 * Render helpers, one per state kind, in the spirit of aws-cdk's `state.ts`:
 * each takes what varies and fixes what every state of that kind shares
 * (timeouts, retries of transient errors, the catch into OnFailure).
 */
import { TRANSIENT_ERROR_NAMES } from '../shared/errors.ts';
import type { ExecutionSettings, RetrySettings } from '../shared/spec/schema.ts';

type DistributedSettings = ExecutionSettings['distributed'];

import type {
  Catcher,
  ChoiceState,
  FailState,
  JsonObject,
  MapState,
  ParallelState,
  Retrier,
  StateGraph,
  TaskState,
  Transition,
} from './asl-types.ts';
import { ON_FAILURE_STATE } from './state-names.ts';

export const LAMBDA_INVOKE_RESOURCE = 'arn:aws:states:::lambda:invoke';

export const next = (stateName: string): Transition => ({ Next: stateName });
export const END: Transition = { End: true };

/**
 * Only transient errors are retried: a terminal error (bad config, bad data)
 * would fail the same way again, so it goes straight to the Catch.
 * No retrier at all when retries are off, as a MaxAttempts of 0 would only add noise.
 */
export function renderRetry(retries: RetrySettings): { readonly Retry?: Retrier[] } {
  if (retries.max_attempts === 0) {
    return {};
  }
  return {
    Retry: [
      {
        ErrorEquals: [...TRANSIENT_ERROR_NAMES],
        IntervalSeconds: retries.interval_seconds,
        MaxAttempts: retries.max_attempts,
        BackoffRate: retries.backoff_rate,
        MaxDelaySeconds: retries.max_delay_seconds,
        JitterStrategy: 'FULL',
      },
    ],
  };
}

/** Top-level states hand any error to OnFailure, keeping the state (and its `run`) beside `error`. */
export function renderCatch(catchFailures: boolean): { readonly Catch?: Catcher[] } {
  return catchFailures
    ? { Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: ON_FAILURE_STATE }] }
    : {};
}

export interface LambdaTaskProps {
  readonly functionArn: string;
  readonly payload: JsonObject;
  readonly execution: ExecutionSettings;
  /** `output`: the Lambda's result becomes the state; `discard`: the input passes through unchanged. */
  readonly result: 'output' | 'discard';
  /** Whether errors go to OnFailure; false inside Map iterations and Parallel branches. */
  readonly catchFailures: boolean;
  readonly transition: Transition;
}

export function lambdaTask(props: LambdaTaskProps): TaskState {
  return {
    Type: 'Task',
    Resource: LAMBDA_INVOKE_RESOURCE,
    Parameters: { FunctionName: props.functionArn, Payload: props.payload },
    // Always set: the local interpreter's default is 60 s, not AWS's.
    TimeoutSeconds: props.execution.task_timeout_seconds,
    ...(props.result === 'output' ? { OutputPath: '$.Payload' } : { ResultPath: null }),
    ...renderRetry(props.execution.retries),
    ...renderCatch(props.catchFailures),
    ...props.transition,
  };
}

export interface InlineMapProps {
  readonly itemsPath: string;
  readonly itemSelector: JsonObject;
  readonly maxConcurrency: number;
  readonly processor: StateGraph;
  readonly catchFailures: boolean;
  readonly transition: Transition;
}

/**
 * Results are discarded (`ResultPath: null`): loaders stage their output and
 * Commit publishes it, so nothing downstream needs the per-chunk results.
 * No Retry on the Map itself: its Tasks retry, and retrying the Map would redo every chunk.
 */
export function inlineMapState(props: InlineMapProps): MapState {
  return {
    Type: 'Map',
    ItemsPath: props.itemsPath,
    ItemSelector: props.itemSelector,
    MaxConcurrency: props.maxConcurrency,
    ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, ...props.processor },
    ResultPath: null,
    ...renderCatch(props.catchFailures),
    ...props.transition,
  };
}

export interface DistributedMapProps {
  readonly itemSelector: JsonObject;
  readonly maxConcurrency: number;
  readonly processor: StateGraph;
  readonly settings: DistributedSettings;
  readonly catchFailures: boolean;
  readonly transition: Transition;
}

/**
 * A Distributed Map over the chunk list the plan wrote to S3 (`$.chunkList`):
 * each chunk runs as a child execution, so the parent's history and payloads
 * stay small at any chunk count; children's results go to S3, not the state.
 */
export function distributedMapState(props: DistributedMapProps): MapState {
  return {
    Type: 'Map',
    ItemReader: {
      Resource: 'arn:aws:states:::s3:getObject',
      ReaderConfig: { InputType: 'JSON' },
      Parameters: { 'Bucket.$': '$.chunkList.Bucket', 'Key.$': '$.chunkList.Key' },
    },
    ResultWriter: {
      Resource: 'arn:aws:states:::s3:putObject',
      Parameters: { 'Bucket.$': '$.chunkList.Bucket', 'Prefix.$': '$.chunkList.ResultsPrefix' },
    },
    ToleratedFailurePercentage: props.settings.tolerated_failure_percentage,
    ItemSelector: props.itemSelector,
    MaxConcurrency: props.maxConcurrency,
    ItemProcessor: {
      ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: props.settings.child_execution_type },
      ...props.processor,
    },
    ResultPath: null,
    ...renderCatch(props.catchFailures),
    ...props.transition,
  };
}

/** Routes to `whenPresent` if the path exists in the state, else to `otherwise`. */
export function presenceChoice(path: string, whenPresent: string, otherwise: string): ChoiceState {
  return {
    Type: 'Choice',
    Choices: [{ Variable: path, IsPresent: true, Next: whenPresent }],
    Default: otherwise,
  };
}

export interface ParallelProps {
  readonly branches: StateGraph[];
  readonly catchFailures: boolean;
  readonly transition: Transition;
}

/** Branch results are discarded: each branch ends in work whose effect is staged, not returned. */
export function parallelState(props: ParallelProps): ParallelState {
  return {
    Type: 'Parallel',
    Branches: props.branches,
    ResultPath: null,
    ...renderCatch(props.catchFailures),
    ...props.transition,
  };
}

/** Fails the execution with the error OnFailure was handed, not a generic one. */
export function failWithCaughtError(): FailState {
  return { Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' };
}
