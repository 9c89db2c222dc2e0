import { createRequire } from 'node:module';
import { StateMachine } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import { LOWERED_ITEMS_FIELD, lowerForLocal } from '../../../shared/runtime/lower-for-local.ts';
import { type Pipeline, PipelineSchema } from '../../../shared/spec/schema.ts';
import type { MapState } from '../../../statemachines/asl-types.ts';
import { localFunctionArn } from '../../../statemachines/function-names.ts';
import { translatePipeline } from '../../../statemachines/translate.ts';

type AslValidator = (definition: unknown) => { isValid: boolean; errorsText(): string };
const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator;
const OPTIONS = { resolveFunctionArn: localFunctionArn };

function linear(distributed: Record<string, unknown> = {}): Pipeline {
  return PipelineSchema.parse({
    name: 'big',
    nodes: [
      { id: 'src', type: 'extractor', module: 's3-csv', config: { bucket: 'in' } },
      { id: 'keep', type: 'transformer', module: 'filter', config: { expression: 'true' } },
      { id: 'sink', type: 'loader', module: 's3-parquet', config: { bucket: 'out' } },
    ],
    edges: [
      { source: 'src', target: 'keep' },
      { source: 'keep', target: 'sink' },
    ],
    execution: { distributed },
  });
}

describe('translatePipeline in auto map mode', () => {
  it('routes between the inline Map and a Distributed Map copy on whether the plan wrote a chunk list', () => {
    const definition = translatePipeline(
      linear({ inline_chunk_limit: 50, child_execution_type: 'EXPRESS' }),
      OPTIONS,
    );

    const plan = definition.States['Plan src'];
    expect(plan?.Type === 'Task' ? [plan.Next, plan.Parameters.Payload.inlineChunkLimit] : []).toStrictEqual([
      'Route src',
      50,
    ]);
    expect(definition.States['Route src']).toStrictEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.chunkList', IsPresent: true, Next: 'Process src [d]' }],
      Default: 'Process src',
    });
    const distributed = definition.States['Process src [d]'] as MapState;
    expect(distributed.ItemReader).toStrictEqual({
      Resource: 'arn:aws:states:::s3:getObject',
      ReaderConfig: { InputType: 'JSON' },
      Parameters: { 'Bucket.$': '$.chunkList.Bucket', 'Key.$': '$.chunkList.Key' },
    });
    expect(distributed.ItemProcessor.ProcessorConfig).toStrictEqual({
      Mode: 'DISTRIBUTED',
      ExecutionType: 'EXPRESS',
    });
    expect(Object.keys(distributed.ItemProcessor.States)).toStrictEqual(['Chain src [d]']);
    expect(distributed.ToleratedFailurePercentage).toBe(0);
    expect(distributed.Next).toBe((definition.States['Process src'] as MapState).Next);
    expect(aslValidator(structuredClone(definition)).errorsText()).toBe('');
  });

  it("copies every node's Task into the Distributed Map when unfused", () => {
    const unfused = linear();
    const definition = translatePipeline(
      { ...unfused, execution: { ...unfused.execution, fuse: false } },
      OPTIONS,
    );

    const distributed = definition.States['Process src [d]'] as MapState;
    expect(Object.keys(distributed.ItemProcessor.States)).toStrictEqual(['src [d]', 'keep [d]', 'sink [d]']);
  });

  it('uses only the Distributed Map in distributed mode, with every chunk list in S3', () => {
    const definition = translatePipeline(linear({ mode: 'distributed' }), OPTIONS);

    expect(Object.keys(definition.States).filter((name) => name.includes('src'))).toStrictEqual([
      'Plan src',
      'Process src [d]',
    ]);
    const plan = definition.States['Plan src'];
    expect(plan?.Type === 'Task' ? plan.Parameters.Payload.inlineChunkLimit : undefined).toBe(0);
  });
});

describe('lowerForLocal', () => {
  it('feeds a Distributed Map from a local reader Task, retargeting what led to it', () => {
    const lowered = lowerForLocal(translatePipeline(linear(), OPTIONS));

    expect(lowered.States['Route src']).toMatchObject({
      Choices: [{ Next: 'Read src [d]' }],
      Default: 'Process src',
    });
    expect(lowered.States['Read src [d]']).toMatchObject({
      Type: 'Task',
      Next: 'Process src [d]',
      Parameters: {
        Payload: { 'state.$': '$', 'Bucket.$': '$.chunkList.Bucket', 'Key.$': '$.chunkList.Key' },
      },
    });
    const map = lowered.States['Process src [d]'] as MapState;
    expect(map.ItemsPath).toBe(`$.${LOWERED_ITEMS_FIELD}`);
    expect(map.ItemReader).toBeUndefined();
    expect(map.ResultWriter).toBeUndefined();
    expect(() => new StateMachine(lowered)).not.toThrow();
  });

  it('leaves a definition without Distributed Maps unchanged', () => {
    const definition = translatePipeline(linear({ mode: 'inline' }), OPTIONS);

    expect(lowerForLocal(definition)).toStrictEqual(definition);
  });
});
