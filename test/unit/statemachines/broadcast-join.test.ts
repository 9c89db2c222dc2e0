import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { EXECUTION_DEFAULTS } from '../../../shared/spec/defaults.ts';
import type { Pipeline } from '../../../shared/spec/schema.ts';
import type { MapState, TaskState } from '../../../statemachines/asl-types.ts';
import { localFunctionArn } from '../../../statemachines/function-names.ts';
import { nodeIdOfStateName } from '../../../statemachines/state-names.ts';
import { translatePipeline } from '../../../statemachines/translate.ts';
import { pipeline, SINK_CONFIG } from './pipelines.ts';

type AslValidator = (definition: unknown) => { readonly isValid: boolean; errorsText(): string };
const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator;

const OPTIONS = { resolveFunctionArn: localFunctionArn };

/** Orders (left) joined with customers (right), each from its own extractor. */
function joinPipeline(join: Record<string, unknown>, execution: Record<string, unknown> = {}): Pipeline {
  return pipeline({
    name: 'orders by customer',
    nodes: [
      { id: 'orders', type: 'extractor', module: 's3-csv', config: { bucket: 'in', prefix: 'orders/' } },
      {
        id: 'customers',
        type: 'extractor',
        module: 's3-csv',
        config: { bucket: 'in', prefix: 'customers/' },
      },
      {
        id: 'joined',
        type: 'transformer',
        module: 'join',
        config: { on: [{ left: 'customer_id', right: 'id' }], ...join },
      },
      { id: 'sink', type: 'loader', module: 's3-parquet', config: SINK_CONFIG },
    ],
    edges: [
      { source: 'orders', target: 'joined' },
      { source: 'customers', target: 'joined' },
      { source: 'joined', target: 'sink' },
    ],
    execution,
  });
}

describe('translatePipeline of a join that may broadcast', () => {
  it('tells the join plan the size limit and settles after the tasks', () => {
    const definition = translatePipeline(joinPipeline({ type: 'left' }), OPTIONS);

    const plan = definition.States['Plan joined'] as TaskState;
    expect(plan.Parameters.Payload).toMatchObject({
      action: 'plan',
      inputs: 2,
      broadcastMaxBytes: EXECUTION_DEFAULTS.broadcast_join_max_bytes,
    });
    expect((definition.States['Process joined'] as MapState).Next).toBe('Settle joined');
    expect(definition.States['Settle joined']).toStrictEqual({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: {
        FunctionName: localFunctionArn('join'),
        Payload: {
          action: 'settle',
          'run.$': '$.run',
          node: {
            id: 'joined',
            module: 'join',
            config: JSON.stringify({ on: [{ left: 'customer_id', right: 'id' }], type: 'left' }),
          },
        },
      },
      TimeoutSeconds: EXECUTION_DEFAULTS.task_timeout_seconds,
      ResultPath: null,
      Retry: [expect.objectContaining({ ErrorEquals: expect.arrayContaining(['TransientError']) })],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'OnFailure' }],
      Next: 'Commit sink',
    });
    expect(nodeIdOfStateName('Settle joined')).toBe('joined');
  });

  it('passes the configured limit', () => {
    const definition = translatePipeline(
      joinPipeline({ type: 'inner' }, { broadcast_join_max_bytes: 1024 }),
      OPTIONS,
    );

    const plan = definition.States['Plan joined'] as TaskState;
    expect(plan.Parameters.Payload.broadcastMaxBytes).toBe(1024);
  });

  it.each([
    ['a full join', { type: 'full', strategy: 'broadcast' }],
    ['strategy shuffle', { type: 'inner', strategy: 'shuffle' }],
  ])('emits no settle step and no limit for %s: it always shuffles', (_name, config) => {
    const definition = translatePipeline(joinPipeline(config), OPTIONS);

    const plan = definition.States['Plan joined'] as TaskState;
    expect(plan.Parameters.Payload).not.toHaveProperty('broadcastMaxBytes');
    expect(definition.States).not.toHaveProperty('Settle joined');
    expect((definition.States['Process joined'] as MapState).Next).toBe('Commit sink');
  });

  it.each(['inline', 'auto', 'distributed'] as const)(
    'passes asl-validator with a settle step (distributed mode %s)',
    (mode) => {
      const definition = translatePipeline(
        joinPipeline({ type: 'right' }, { distributed: { mode } }),
        OPTIONS,
      );

      const result = aslValidator(structuredClone(definition));

      expect(result.errorsText()).toBe('');
      expect(result.isValid).toBe(true);
      // The join's stage is top level (the extractors' stages run in the Parallel before it).
      const maps = Object.values(definition.States).filter((state) => state.Type === 'Map');
      expect(maps.map((map) => map.Next)).toStrictEqual(
        mode === 'auto' ? ['Settle joined', 'Settle joined'] : ['Settle joined'],
      );
    },
  );
});
