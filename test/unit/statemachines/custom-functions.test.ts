/**
 * `custom` nodes in the translator: each runs in the Lambda bundled with its
 * user's function (`custom-<folder name>`), so its stage is not fused;
 * locally every such name is the in-process `custom` handler.
 */
import { describe, expect, it } from 'vitest';
import type { State, StateGraph } from '../../../statemachines/asl-types.ts';
import { TranslationError } from '../../../statemachines/errors.ts';
import {
  CUSTOM_MODULE,
  customFunctionName,
  deployedArnResolver,
  FUSED_CHAIN,
  functionNameFromLocalArn,
  localFunctionArn,
  nodeFunctionName,
} from '../../../statemachines/function-names.ts';
import { translatePipeline } from '../../../statemachines/translate.ts';
import { linearPipeline, pipeline, SINK_CONFIG, SOURCE_CONFIG } from './pipelines.ts';

const TITLE_CASE = 'functions/transforms/custom/examples/title-case';

const customPipeline = pipeline({
  name: 'Title case',
  nodes: [
    { id: 'src', type: 'extractor', module: 's3-csv', config: SOURCE_CONFIG },
    {
      id: 'cased',
      type: 'transformer',
      module: 'custom',
      config: { function: TITLE_CASE, options: { column: 'name' } },
    },
    { id: 'sink', type: 'loader', module: 's3-parquet', config: SINK_CONFIG },
  ],
  edges: [
    { source: 'src', target: 'cased' },
    { source: 'cased', target: 'sink' },
  ],
});

/** Every state at any depth (Map processors and Parallel branches included), by name. */
function allStates(graph: StateGraph): Map<string, State> {
  const found = new Map<string, State>();
  for (const [name, state] of Object.entries(graph.States)) {
    found.set(name, state);
    const nested = state as { ItemProcessor?: StateGraph; Branches?: StateGraph[] };
    for (const child of [
      ...(nested.ItemProcessor ? [nested.ItemProcessor] : []),
      ...(nested.Branches ?? []),
    ]) {
      for (const [childName, childState] of allStates(child)) found.set(childName, childState);
    }
  }
  return found;
}

function functionNameOf(state: State | undefined): unknown {
  return (state as { Parameters?: { FunctionName?: unknown } } | undefined)?.Parameters?.FunctionName;
}

/** Deployed ARNs of every function these pipelines use, `arn:<name>`. */
const deployed = deployedArnResolver(
  Object.fromEntries(
    [
      'control-init',
      'control-finalize',
      'control-on-failure',
      's3-csv',
      'filter',
      's3-parquet',
      FUSED_CHAIN,
      'custom-title-case',
    ].map((name) => [name, `arn:${name}`]),
  ),
);

describe('customFunctionName', () => {
  it("names the function after the folder's last segment", () => {
    expect(customFunctionName(TITLE_CASE)).toBe('custom-title-case');
    expect(customFunctionName('functions/custom/geo-tag/')).toBe('custom-geo-tag');
    expect(customFunctionName('./geo-tag')).toBe('custom-geo-tag');
  });

  it('refuses a folder that names none', () => {
    expect(() => customFunctionName('.')).toThrow(TranslationError);
    expect(() => customFunctionName('functions/..')).toThrow('names no folder');
  });
});

describe('nodeFunctionName', () => {
  it('is the module for every node but a custom one', () => {
    expect(nodeFunctionName({ module: 'filter', config: { function: TITLE_CASE } })).toBe('filter');
    expect(nodeFunctionName({ module: CUSTOM_MODULE, config: { function: TITLE_CASE } })).toBe(
      'custom-title-case',
    );
  });
});

describe('translatePipeline with a custom node', () => {
  it("invokes the node's own function's deployed ARN, in an unfused stage", () => {
    const states = allStates(translatePipeline(customPipeline, { resolveFunctionArn: deployed }));

    expect(functionNameOf(states.get('cased'))).toBe('arn:custom-title-case');
    expect(functionNameOf(states.get('src'))).toBe('arn:s3-csv');
    const invoked = [...states.values()].map(functionNameOf);
    expect(invoked).not.toContain(`arn:${FUSED_CHAIN}`);
    expect(invoked).not.toContain('arn:custom');
  });

  it('still fuses a stage without custom nodes', () => {
    const states = allStates(translatePipeline(linearPipeline(), { resolveFunctionArn: deployed }));
    const invoked = [...states.values()].map(functionNameOf);

    expect(invoked).toContain(`arn:${FUSED_CHAIN}`);
    expect(states.has('keep')).toBe(false);
  });

  it('fails translation when the custom function was not deployed, naming it', () => {
    const without = (name: string) =>
      name === 'custom-title-case' ? deployedArnResolver({ custom: 'arn:custom' })(name) : deployed(name);

    expect(() => translatePipeline(customPipeline, { resolveFunctionArn: without })).toThrow(
      'no deployed Lambda function for "custom-title-case"',
    );
  });

  it('runs the node on the in-process custom handler locally', () => {
    const states = allStates(translatePipeline(customPipeline, { resolveFunctionArn: localFunctionArn }));
    const arn = functionNameOf(states.get('cased'));

    expect(arn).toBe(localFunctionArn(CUSTOM_MODULE));
    expect(typeof arn === 'string' ? functionNameFromLocalArn(arn) : undefined).toBe(CUSTOM_MODULE);
  });
});
