/**
 * Scale simulation: the translated state machine of a pipeline, run locally
 * at thousands of chunks, to count what the cloud would see. The plan is the
 * real s3-csv planner over a generated file (one record per chunk); the
 * per-chunk Lambdas are replaced by handlers that answer with payloads of
 * the real shape and size, since what is measured here is the orchestration:
 * state payload sizes, the parent execution's history, state transitions and
 * Lambda invocations. Cloud figures for 1 GB, 100 GB and 1 TB are projected
 * from those counts and list prices (see bench/README.md).
 *
 *   npm run bench:scale -- [chunks=10000]
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';
import { uploadFile } from '../../shared/aws/s3-objects.ts';
import { MAX_STATE_PAYLOAD_BYTES, payloadBytes } from '../../shared/runtime/event-log.ts';
import { loadFunctionHandler } from '../../shared/runtime/function-handlers.ts';
import type { EventLog } from '../../shared/runtime/interpreter-types.ts';
import { lambdaInvokeAdapter } from '../../shared/runtime/lambda-invoke-adapter.ts';
import { readItemsIntoState } from '../../shared/runtime/local-item-reader.ts';
import { ensureBucket, startLocalServices } from '../../shared/runtime/local-services.ts';
import { LOCAL_ITEM_READER, lowerForLocal } from '../../shared/runtime/lower-for-local.ts';
import { PipelineSchema } from '../../shared/spec/schema.ts';
import type { StateGraph } from '../../statemachines/asl-types.ts';
import { functionNameFromLocalArn, localFunctionArn } from '../../statemachines/function-names.ts';
import { listTaskStates } from '../../statemachines/task-states.ts';
import { translatePipeline } from '../../statemachines/translate.ts';
import { projectCloud } from './projection.ts';

const CHUNKS = Number(process.argv[2] ?? 10_000);
const RECORD_BYTES = 1_100;

const pipeline = PipelineSchema.parse({
  name: 'scale',
  nodes: [
    { id: 'src', type: 'extractor', module: 's3-csv', config: { bucket: 'raw', prefix: 'scale/' } },
    { id: 'keep', type: 'transformer', module: 'filter', config: { expression: 'n >= 0' } },
    { id: 'sink', type: 'loader', module: 's3-parquet', config: { bucket: 'lake', prefix: 'scale/' } },
  ],
  edges: [
    { source: 'src', target: 'keep' },
    { source: 'keep', target: 'sink' },
  ],
  // The smallest chunk: one generated record each.
  execution: { chunk_size_bytes: 1024, max_concurrency: 64 },
});

/** What a chunk Task answers: the real result shape, with a staging URI of real length. */
function simulatedChunkResult(event: Record<string, unknown>): unknown {
  // Loaders and fused chains (execution.fuse) end an iteration with a row count only.
  if (event.action === 'load' || event.action === 'chain') return { rows: 1 };
  const chunk = event.chunk as { index: number };
  const node = event.node as { id: string };
  const run = event.run as { runId: string };
  return {
    run,
    chunk: {
      index: chunk.index,
      uri: `s3://etl-staging/runs/${run.runId}/${node.id}/part-${String(chunk.index).padStart(5, '0')}.parquet`,
      rows: 1,
      bytes: 2_048,
      schemaHash: '0123456789abcdef',
    },
  };
}

const scratch = await mkdtemp(join(tmpdir(), 'etl-scale-'));
const services = await startLocalServices(join(scratch, 'data'));
try {
  const file = join(scratch, 'scale.csv');
  const padding = 'x'.repeat(RECORD_BYTES - 12);
  await writeFile(
    file,
    `n,pad\n${Array.from({ length: CHUNKS }, (_, i) => `${String(i).padStart(9, '0')},${padding}\n`).join('')}`,
  );
  await ensureBucket(services.s3, 'raw');
  await ensureBucket(services.s3, 'lake');
  await uploadFile(services.s3, file, 'raw', 'scale/scale.csv');

  const definition = translatePipeline(pipeline, { resolveFunctionArn: localFunctionArn });
  const lowered = lowerForLocal(definition);
  const handlers: Record<string, ReturnType<typeof lambdaInvokeAdapter>> = {};
  const invocations = new Map<string, number>();
  for (const { name, state } of listTaskStates(lowered)) {
    const functionName = functionNameFromLocalArn(state.Parameters.FunctionName) ?? '';
    const real =
      functionName === LOCAL_ITEM_READER
        ? readItemsIntoState
        : functionName.startsWith('control-') || name.startsWith('Plan ') || name.startsWith('Commit ')
          ? await loadFunctionHandler(functionName)
          : async (event: unknown) => simulatedChunkResult(event as Record<string, unknown>);
    const counted = async (event: unknown, context: Parameters<typeof real>[1]) => {
      invocations.set(functionName, (invocations.get(functionName) ?? 0) + 1);
      return real(event, context);
    };
    handlers[name] = lambdaInvokeAdapter(functionName, counted, state.TimeoutSeconds);
  }

  // States that run in child executions: everything inside a Distributed Map's processor.
  const childStates = new Set<string>();
  const collect = (graph: StateGraph, inChild: boolean) => {
    for (const [name, state] of Object.entries(graph.States)) {
      if (inChild) childStates.add(name);
      if (state.Type === 'Map')
        collect(state.ItemProcessor, inChild || state.ItemProcessor.ProcessorConfig.Mode === 'DISTRIBUTED');
      if (state.Type === 'Parallel') for (const branch of state.Branches) collect(branch, inChild);
    }
  };
  collect(definition, false);

  const started = performance.now();
  const execution = new StateMachine(lowered).run(
    { runId: `SCALE${Date.now()}`, parameters: {}, trigger: 'manual' },
    { overrides: { taskResourceLocalHandlers: handlers } },
  );
  let largest = { bytes: 0, at: '' };
  let parentEntered = 0;
  let childEntered = 0;
  let parentTasks = 0;
  const countEvent = (event: EventLog) => {
    if (!('state' in event)) return;
    for (const value of [event.state.input, event.state.output]) {
      if (value === undefined) continue;
      const bytes = payloadBytes(value);
      if (bytes > largest.bytes) largest = { bytes, at: event.state.name };
    }
    if (event.type !== 'StateEntered') return;
    if (childStates.has(event.state.name)) childEntered++;
    else {
      parentEntered++;
      if (event.state.type === 'Task') parentTasks++;
    }
  };
  for await (const event of execution.eventLogs) countEvent(event);
  await execution.result;
  const seconds = (performance.now() - started) / 1000;

  // AWS records about 5 history events per Task (entered, scheduled, started, succeeded, exited)
  // and 2 per other state; a Distributed Map adds MapRun events; the execution adds 2.
  const parentHistory = parentTasks * 5 + (parentEntered - parentTasks) * 2 + 4 + 2;
  const report = {
    chunks: CHUNKS,
    wallSeconds: Number(seconds.toFixed(1)),
    largestPayloadBytes: largest.bytes,
    largestPayloadAt: largest.at,
    payloadLimitBytes: MAX_STATE_PAYLOAD_BYTES,
    parentStateTransitions: parentEntered,
    childStateTransitions: childEntered,
    projectedParentHistoryEvents: parentHistory,
    historyLimitEvents: 25_000,
    lambdaInvocations: Object.fromEntries(invocations),
    cloud: projectCloud({ tasksPerChunk: 3, parentTransitions: parentEntered }),
  };
  console.log(JSON.stringify(report, null, 2));
  if (largest.bytes >= MAX_STATE_PAYLOAD_BYTES || parentHistory >= 25_000) process.exitCode = 1;
} finally {
  await services.stop();
  await rm(scratch, { recursive: true, force: true });
}
