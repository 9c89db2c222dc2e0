/**
 * In-process fakes of the pipeline's Lambdas for running translated ASL in
 * aws-local-stepfunctions. Each fake parses its Payload with the real event
 * schema, so a run proves the ASL builds exactly the events handlers accept.
 * Like the real lambda:invoke integration, a handler receives the whole
 * `Parameters` and answers `{ StatusCode: 200, Payload }`.
 */
import { z } from 'zod';
import type { ChunkRef } from '../../../shared/chunks/ref.ts';
import { ChainEventSchema } from '../../../shared/lambda/chain-events.ts';
import {
  CommitEventSchema,
  ExtractEventSchema,
  FinalizeEventSchema,
  InitEventSchema,
  LoadEventSchema,
  OnFailureEventSchema,
  PlanEventSchema,
  TransformEventSchema,
} from '../../../shared/lambda/events.ts';
import type { JsonValue, StateMachineDefinition } from '../../../statemachines/asl-types.ts';
import { functionNameFromLocalArn } from '../../../statemachines/function-names.ts';
import { listTaskStates } from '../../../statemachines/task-states.ts';

export const CHUNK_COUNT = 3;
export const STARTED_AT = '2024-05-01T00:00:00.000Z';

export interface Invocation {
  readonly state: string;
  readonly functionName: string;
  readonly payload: unknown;
}

/** Lets a test make one state fail: called before the fake answers. */
export type Sabotage = (state: string, payload: unknown) => void;

const InvokeParametersSchema = z.object({ FunctionName: z.string(), Payload: z.unknown() });

function chunkRef(nodeId: string, index: number): ChunkRef {
  return {
    index,
    uri: `s3://staging/runs/r1/${nodeId}/part-${index}.parquet`,
    rows: 10,
    bytes: 100,
    schemaHash: 'abc',
  };
}

function answer(functionName: string, payload: unknown): unknown {
  const action = z.object({ action: z.string().optional() }).parse(payload).action;
  switch (`${functionName}:${action ?? ''}`) {
    case 'control-init:': {
      const { pipeline, input } = InitEventSchema.parse(payload);
      const parameters = { ...pipeline.parameters, ...input.parameters };
      const run = { runId: input.runId, pipelineId: pipeline.id, pipelineName: pipeline.name, parameters };
      return { run: { ...run, startedAt: STARTED_AT } };
    }
    case 's3-csv:plan': {
      const { run } = PlanEventSchema.parse(payload);
      return {
        run,
        chunks: Array.from({ length: CHUNK_COUNT }, (_, index) => ({ index, start: index * 100 })),
      };
    }
    case 's3-csv:extract': {
      const { run, node, chunk } = ExtractEventSchema.parse(payload);
      return { run, chunk: chunkRef(node.id, chunk.index) };
    }
    case 'filter:':
    case 'derive:': {
      const { run, node, chunk } = TransformEventSchema.parse(payload);
      return { run, chunk: chunkRef(node.id, chunk.index) };
    }
    case 'fused-chain:chain':
      return { rows: ChainEventSchema.parse(payload).chunk.index };
    case 's3-parquet:load':
      return { rows: LoadEventSchema.parse(payload).chunk.rows };
    case 's3-parquet:commit':
      return { committed: CommitEventSchema.parse(payload).node.id };
    case 'control-finalize:':
      return { runId: FinalizeEventSchema.parse(payload).run.runId, status: 'SUCCEEDED' };
    case 'control-on-failure:':
      return { recorded: OnFailureEventSchema.parse(payload).state.error?.Error ?? 'none' };
    default:
      throw new Error(`no fake for ${functionName} with action ${action}`);
  }
}

/** One local handler per Task state of the definition, recording every invocation. */
export function fakeLambdas(definition: StateMachineDefinition, sabotage: Sabotage = () => {}) {
  const invocations: Invocation[] = [];
  const handlers: Record<string, (input: JsonValue) => JsonValue> = {};
  for (const { name } of listTaskStates(definition)) {
    handlers[name] = (input) => {
      const { FunctionName, Payload } = InvokeParametersSchema.parse(input);
      const functionName = functionNameFromLocalArn(FunctionName) ?? FunctionName;
      invocations.push({ state: name, functionName, payload: Payload });
      sabotage(name, Payload);
      // A round trip through JSON, as the real integration serializes results.
      return {
        StatusCode: 200,
        Payload: JSON.parse(JSON.stringify(answer(functionName, Payload))) as JsonValue,
      };
    };
  }
  return { handlers, invocations };
}
