/**
 * Typed Amazon States Language: only the parts the translator emits, so a
 * mistake in a state's shape is a compile error rather than a failed deploy.
 * Type aliases (not interfaces) keep them assignable to index-signature JSON
 * types such as the local interpreter's `StateMachineDefinition`.
 */

export type JsonPrimitive = string | number | boolean | null;
export type JsonArray = JsonValue[];
export type JsonObject = { [key: string]: JsonValue };
export type JsonValue = JsonPrimitive | JsonArray | JsonObject;

/** Every non-terminal state either moves on or ends its (sub-)graph; never both. */
export type Transition =
  | { readonly Next: string; readonly End?: never }
  | { readonly End: true; readonly Next?: never };

export type Retrier = {
  readonly ErrorEquals: string[];
  readonly IntervalSeconds: number;
  readonly MaxAttempts: number;
  readonly BackoffRate: number;
  readonly MaxDelaySeconds: number;
  readonly JitterStrategy: 'FULL' | 'NONE';
};

export type Catcher = {
  readonly ErrorEquals: string[];
  readonly ResultPath: string;
  readonly Next: string;
};

/** The `Parameters` of an `arn:aws:states:::lambda:invoke` Task. */
export type LambdaInvokeParameters = {
  readonly FunctionName: string;
  readonly Payload: JsonObject;
};

export type TaskState = {
  readonly Type: 'Task';
  readonly Resource: string;
  readonly Parameters: LambdaInvokeParameters;
  readonly TimeoutSeconds: number;
  readonly OutputPath?: string;
  readonly ResultPath?: string | null;
  readonly Retry?: Retrier[];
  readonly Catch?: Catcher[];
} & Transition;

/** A graph of states: the whole machine, a Map's item processor or a Parallel branch. */
export type StateGraph = {
  readonly StartAt: string;
  readonly States: Record<string, State>;
};

export type ItemProcessor = StateGraph & {
  readonly ProcessorConfig:
    | { readonly Mode: 'INLINE' }
    | { readonly Mode: 'DISTRIBUTED'; readonly ExecutionType: 'STANDARD' | 'EXPRESS' };
};

/** A Distributed Map reads its items from S3 (a JSON array) instead of the state. */
export type ItemReader = {
  readonly Resource: 'arn:aws:states:::s3:getObject';
  readonly ReaderConfig: { readonly InputType: 'JSON' };
  readonly Parameters: JsonObject;
};

/** Where a Distributed Map writes its children's results, so they never fill the parent's state. */
export type ResultWriter = {
  readonly Resource: 'arn:aws:states:::s3:putObject';
  readonly Parameters: JsonObject;
};

export type MapState = {
  readonly Type: 'Map';
  readonly ItemsPath?: string;
  readonly ItemReader?: ItemReader;
  readonly ResultWriter?: ResultWriter;
  readonly ToleratedFailurePercentage?: number;
  readonly ItemSelector: JsonObject;
  readonly MaxConcurrency: number;
  readonly ItemProcessor: ItemProcessor;
  readonly ResultPath: string | null;
  readonly Catch?: Catcher[];
} & Transition;

/** Only the rule the translator emits: route on whether a path is present. */
export type ChoiceState = {
  readonly Type: 'Choice';
  readonly Choices: { readonly Variable: string; readonly IsPresent: boolean; readonly Next: string }[];
  readonly Default: string;
};

export type ParallelState = {
  readonly Type: 'Parallel';
  readonly Branches: StateGraph[];
  readonly ResultPath: string | null;
  readonly Catch?: Catcher[];
} & Transition;

export type FailState = {
  readonly Type: 'Fail';
  readonly ErrorPath: string;
  readonly CausePath: string;
};

export type State = TaskState | MapState | ParallelState | FailState | ChoiceState;

export type StateMachineDefinition = StateGraph & {
  readonly Comment: string;
  readonly TimeoutSeconds: number;
};
