import { StateMachine } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import { DataError, TransientError } from '../../../shared/errors.ts';
import type { StateMachineDefinition } from '../../../statemachines/asl-types.ts';
import { localFunctionArn } from '../../../statemachines/function-names.ts';
import { translatePipeline } from '../../../statemachines/translate.ts';
import { CHUNK_COUNT, fakeLambdas, type Invocation, type Sabotage } from './fake-lambdas.ts';
import { ALL_PIPELINES, forkPipeline, linearPipeline, twoStagePipeline, UNFUSED } from './pipelines.ts';

const INPUT = { runId: 'r1', parameters: { limit: 5 } };
const unfusedLinear = () => linearPipeline({ execution: UNFUSED });

function translate(build: () => ReturnType<typeof linearPipeline>): StateMachineDefinition {
  return translatePipeline(build(), { resolveFunctionArn: localFunctionArn });
}

/** Runs the definition with fake Lambdas; retries wait 0 ms so tests stay fast. */
async function run(definition: StateMachineDefinition, sabotage?: Sabotage) {
  const { handlers, invocations } = fakeLambdas(definition, sabotage);
  const retryIntervalOverrides = Object.fromEntries(Object.keys(handlers).map((name) => [name, 0]));
  const execution = new StateMachine(definition).run(INPUT, {
    overrides: { taskResourceLocalHandlers: handlers, retryIntervalOverrides },
  });
  const outcome = await execution.result.then(
    (output) => ({ output, error: undefined }),
    (error: unknown) => ({ output: undefined, error }),
  );
  return { ...outcome, invocations };
}

function countByState(invocations: readonly Invocation[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { state } of invocations) {
    counts[state] = (counts[state] ?? 0) + 1;
  }
  return counts;
}

describe('translated ASL in aws-local-stepfunctions', () => {
  it.each(ALL_PIPELINES)('constructs without a validation error for %s', (_name, build) => {
    expect(() => new StateMachine(translate(build))).not.toThrow();
  });

  it('runs a fused stage as one Chain Task per chunk, then commits and finalizes', async () => {
    const { output, error, invocations } = await run(translate(linearPipeline));

    expect(error).toBeUndefined();
    expect(output).toStrictEqual({ runId: 'r1', status: 'SUCCEEDED' });
    expect(countByState(invocations)).toStrictEqual({
      Init: 1,
      'Plan src': 1,
      'Chain src': CHUNK_COUNT,
      'Commit sink': 1,
      Finalize: 1,
    });
    const chunks = invocations
      .filter((call) => call.state === 'Chain src')
      .map((call) => (call.payload as { chunk: { index: number } }).chunk.index);
    expect(chunks.sort()).toStrictEqual([0, 1, 2]);
  });

  it('retries a fused chain that failed with a transient error', async () => {
    let failures = 0;
    const flaky: Sabotage = (state) => {
      if (state === 'Chain src' && failures === 0) {
        failures += 1;
        throw new TransientError('throttled');
      }
    };

    const { output, invocations } = await run(translate(linearPipeline), flaky);

    expect(output).toStrictEqual({ runId: 'r1', status: 'SUCCEEDED' });
    expect(countByState(invocations)['Chain src']).toBe(CHUNK_COUNT + 1);
  });

  it('runs extractor -> filter -> loader unfused once per chunk and node, then commits and finalizes', async () => {
    const { output, error, invocations } = await run(translate(unfusedLinear));

    expect(error).toBeUndefined();
    expect(output).toStrictEqual({ runId: 'r1', status: 'SUCCEEDED' });
    expect(countByState(invocations)).toStrictEqual({
      Init: 1,
      'Plan src': 1,
      src: CHUNK_COUNT,
      keep: CHUNK_COUNT,
      sink: CHUNK_COUNT,
      'Commit sink': 1,
      Finalize: 1,
    });
    expect(invocations.find((call) => call.state === 'Finalize')?.payload).toStrictEqual({
      run: {
        runId: 'r1',
        pipelineId: 'daily-sales',
        pipelineName: 'Daily Sales',
        parameters: { region: 'eu', limit: 5 },
        startedAt: '2024-05-01T00:00:00.000Z',
        // Filled by RunContextSchema's default when a handler parses the run it hands on.
        organization: 'local',
      },
    });
  });

  it('hands each Map iteration its own chunk', async () => {
    const { invocations } = await run(translate(unfusedLinear));

    const extracted = invocations.filter((call) => call.state === 'src').map((call) => call.payload);
    expect(
      extracted.map((payload) => (payload as { chunk: { index: number } }).chunk.index).sort(),
    ).toStrictEqual([0, 1, 2]);
  });

  it('runs both branches of a fork for every chunk', async () => {
    const { output, invocations } = await run(translate(() => forkPipeline(UNFUSED)));

    expect(output).toStrictEqual({ runId: 'r1', status: 'SUCCEEDED' });
    expect(countByState(invocations)).toMatchObject({
      enrich: CHUNK_COUNT,
      lake: CHUNK_COUNT,
      archive: CHUNK_COUNT,
      'Commit lake': 1,
      'Commit archive': 1,
    });
  });

  it('runs every stage of several extractors', async () => {
    const { output, invocations } = await run(translate(() => twoStagePipeline(UNFUSED)));

    expect(output).toStrictEqual({ runId: 'r1', status: 'SUCCEEDED' });
    expect(countByState(invocations)).toMatchObject({
      'Plan orders': 1,
      'Plan refunds': 1,
      ordersOut: CHUNK_COUNT,
      refundsOut: CHUNK_COUNT,
    });
  });

  it('retries a transient error and succeeds', async () => {
    let failures = 0;
    const flaky: Sabotage = (state) => {
      if (state === 'keep' && failures === 0) {
        failures += 1;
        throw new TransientError('throttled');
      }
    };

    const { output, invocations } = await run(translate(unfusedLinear), flaky);

    expect(output).toStrictEqual({ runId: 'r1', status: 'SUCCEEDED' });
    expect(countByState(invocations).keep).toBe(CHUNK_COUNT + 1);
  });

  it('fails when a terminal error is thrown, without retrying, through OnFailure', async () => {
    const badData: Sabotage = (state, payload) => {
      if (state === 'keep' && (payload as { chunk: { index: number } }).chunk.index === 1) {
        throw new DataError('unparseable row 7');
      }
    };

    const { output, error, invocations } = await run(translate(unfusedLinear), badData);

    expect(output).toBeUndefined();
    expect(error).toMatchObject({
      name: 'ExecutionError',
      cause: { name: 'DataError', message: 'unparseable row 7' },
    });
    const keepOnChunk1 = invocations.filter(
      (call) => call.state === 'keep' && (call.payload as { chunk: { index: number } }).chunk.index === 1,
    );
    expect(keepOnChunk1).toHaveLength(1);
    const onFailure = invocations.filter((call) => call.state === 'OnFailure');
    expect(onFailure).toHaveLength(1);
    expect(onFailure[0]?.payload).toMatchObject({
      state: { run: { runId: 'r1' }, error: { Error: 'DataError' } },
    });
    expect(invocations.some((call) => call.state === 'Finalize' || call.state === 'Commit sink')).toBe(false);
  });

  it('fails when Init fails, handing OnFailure the execution input', async () => {
    const initDown: Sabotage = (state) => {
      if (state === 'Init') {
        throw new DataError('no such pipeline');
      }
    };

    const { error, invocations } = await run(translate(linearPipeline), initDown);

    expect(error).toMatchObject({ cause: { name: 'DataError', message: 'no such pipeline' } });
    expect(invocations.find((call) => call.state === 'OnFailure')?.payload).toMatchObject({
      state: { runId: 'r1', error: { Error: 'DataError' } },
    });
  });
});
