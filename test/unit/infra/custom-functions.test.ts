/**
 * A user's `custom` function deployed as its own Lambda: the stack built from
 * a git pipeline naming the title-case example, and that function's real
 * esbuild bundle.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, type CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCustomFunction } from '../../../functions/transforms/custom/load-function.ts';
import { CUSTOM_FUNCTIONS_DIR_ENV, customModule } from '../../../functions/transforms/custom/module.ts';
import { PROJECT_ROOT } from '../../../infra/bundling/function-bundling.ts';
import { customFunctionFolders } from '../../../infra/constructs/custom-functions.ts';
import { EtlFunction } from '../../../infra/constructs/etl-function.ts';
import { customFunctionEntry } from '../../../infra/function-entries.ts';
import type { EtlPlatformStack } from '../../../infra/stacks/platform-stack.ts';
import { PipelineSchema } from '../../../shared/spec/schema.ts';
import { permissionLines } from './iam-lines.ts';
import { logicalIdOf, platformApp, platformTemplate } from './synth.ts';

const TITLE_CASE = 'functions/transforms/custom/examples/title-case';

const pipeline = {
  name: 'title case airports',
  nodes: [
    { id: 'src', type: 'extractor', module: 's3-csv', config: { bucket: 'raw', prefix: 'birds/' } },
    {
      id: 'cased',
      type: 'transformer',
      module: 'custom',
      config: { function: TITLE_CASE, options: { column: 'Airport Name' } },
    },
    { id: 'out', type: 'loader', module: 's3-parquet', config: { bucket: 'lake', prefix: 'birds/' } },
  ],
  edges: [
    { source: 'src', target: 'cased' },
    { source: 'cased', target: 'out' },
  ],
};

let pipelinesDir: string;
let stack: EtlPlatformStack;
let template: Template;

beforeAll(async () => {
  pipelinesDir = await mkdtemp(join(tmpdir(), 'etl-custom-pipelines-'));
  await writeFile(join(pipelinesDir, 'title-case.json'), JSON.stringify(pipeline));
  ({ stack, template } = await platformTemplate({ 'etl:pipelinesDir': pipelinesDir }));
}, 120_000);

afterAll(async () => {
  await rm(pipelinesDir, { recursive: true, force: true });
});

/** A resource's properties in the template, by logical id. */
function propertiesOf(logicalId: string): Record<string, unknown> {
  const resources = template.toJSON().Resources as Record<string, { Properties: Record<string, unknown> }>;
  const resource = resources[logicalId];
  if (resource === undefined) throw new Error(`no resource ${logicalId}`);
  return resource.Properties;
}

/** The policy statements attached to a role, by its logical id. */
function rolePolicyLines(roleLogicalId: string): string[] {
  return permissionLines(template, roleLogicalId);
}

describe('CustomFunctions in the platform stack', () => {
  it('deploys one Lambda for the folder the pipeline names, with the DuckDB layer and the custom sizing', () => {
    const fn = stack.customFunctions.functions.get('custom-title-case');

    expect([...stack.customFunctions.functions.keys()]).toStrictEqual(['custom-title-case']);
    expect(fn).toBeDefined();
    expect(stack.functions.functions.get('custom-title-case')).toBe(fn);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: `ETL custom function ${TITLE_CASE}`,
      Handler: 'index.handler',
      Architectures: ['x86_64'],
      MemorySize: customModule.lambda.memoryMb,
      Timeout: customModule.lambda.timeoutSeconds,
      Layers: [{ Ref: logicalIdOf(stack.functions.duckDbLayer.layer) }],
      Environment: {
        Variables: Match.objectLike({ ETL_ORGANIZATION: 'default', NODE_OPTIONS: '--enable-source-maps' }),
      },
    });
  });

  it('grants it what a transformer gets: its items and staging chunks, no source or target bucket', () => {
    const fn = stack.customFunctions.functions.get('custom-title-case');
    const module = stack.functions.functions.get('custom');
    if (fn?.function.role === undefined || module?.function.role === undefined) {
      throw new Error('no custom function roles');
    }
    const lines = rolePolicyLines(logicalIdOf(fn.function.role));
    const moduleLines = rolePolicyLines(logicalIdOf(module.function.role));

    expect(lines.length).toBeGreaterThan(0);
    // The same statements as the `custom` module's function, its own log group aside.
    const withoutLogs = (all: string[]) => all.filter((line) => !line.includes('logs:'));
    expect(withoutLogs(lines)).toStrictEqual(withoutLogs(moduleLines));
    expect(lines.join('\n')).not.toMatch(/Landing|DataBucket|secretsmanager/);
  });

  it("routes the pipeline's custom node to that function, unfused, and lets the state machine invoke it", () => {
    const machine = stack.gitPipelines.stateMachines.get('title-case-airports');
    const fn = stack.customFunctions.functions.get('custom-title-case');
    if (machine === undefined || fn === undefined) throw new Error('no state machine or function');
    const arn = stack.resolve(fn.function.functionArn) as unknown;

    expect(machine.invokedFunctions).toContain('custom-title-case');
    expect(machine.invokedFunctions).not.toContain('custom');
    expect(machine.invokedFunctions).not.toContain('fused-chain');
    const definition = JSON.stringify(propertiesOf(logicalIdOf(machine.stateMachine)).DefinitionString);
    expect(definition).toContain(JSON.stringify(arn));
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalIdOf(machine.stateMachine.role) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'lambda:InvokeFunction',
            Resource: Match.arrayWith([arn]),
          }),
        ]),
      },
    });
  });

  it('publishes its ARN for API-created pipelines and lets their execution role invoke it', () => {
    const fn = stack.customFunctions.functions.get('custom-title-case');
    if (fn === undefined) throw new Error('no custom function');
    const arn = stack.resolve(fn.function.functionArn) as unknown;
    const parameter = JSON.stringify(
      propertiesOf(logicalIdOf(stack.pipelineRuntime.functionArnsParameter)).Value,
    );

    expect(parameter).toContain('custom-title-case');
    expect(parameter).toContain(JSON.stringify(arn).slice(1, -1));
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalIdOf(stack.pipelineRuntime.executionRole) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'lambda:InvokeFunction', Resource: Match.arrayWith([arn]) }),
        ]),
      },
    });
  });

  it('passes cdk-nag with the custom function deployed', async () => {
    const { app } = await platformApp({ 'etl:pipelinesDir': pipelinesDir }, { policyChecks: true });

    expect(() => app.synth()).not.toThrow();
  }, 120_000);
});

describe('customFunctionFolders', () => {
  it('lists each folder custom nodes name once', () => {
    const parsed = PipelineSchema.parse(pipeline);
    const again = PipelineSchema.parse({ ...pipeline, name: 'again' });

    expect(customFunctionFolders([parsed, again])).toStrictEqual([TITLE_CASE]);
    const withoutCustom = PipelineSchema.parse({
      ...pipeline,
      nodes: pipeline.nodes.filter((node) => node.module !== 'custom'),
      edges: [{ source: 'src', target: 'out' }],
    });
    expect(customFunctionFolders([withoutCustom])).toStrictEqual([]);
  });
});

describe('the custom function bundle', () => {
  let outdir: string;
  let bundle: string;
  let sources: string[];

  beforeAll(async () => {
    outdir = await mkdtemp(join(tmpdir(), 'etl-custom-bundle-'));
    const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
    const bundleStack = new Stack(app, 'CustomBundle');
    const fn = new EtlFunction(bundleStack, 'TitleCase', {
      entry: customFunctionEntry(TITLE_CASE),
      description: 'title-case',
      memorySizeMb: 1769,
      timeout: Duration.seconds(900),
      environment: {},
    });
    const resources = Template.fromStack(bundleStack).toJSON().Resources as Record<
      string,
      { Metadata: Record<string, string> }
    >;
    const logicalId = String(bundleStack.resolve((fn.function.node.defaultChild as CfnResource).logicalId));
    const path = resources[logicalId]?.Metadata['aws:asset:path'];
    if (path === undefined) throw new Error('no asset for the custom function');
    bundle = await readFile(join(outdir, path, 'index.mjs'), 'utf8');
    const map = JSON.parse(await readFile(join(outdir, path, 'index.mjs.map'), 'utf8')) as {
      sources: string[];
    };
    sources = map.sources;
  }, 120_000);

  afterAll(async () => {
    await rm(outdir, { recursive: true, force: true });
  });

  it("holds the custom transform's handler, the user's function and its registration", () => {
    expect(sources).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/functions\/transforms\/custom\/examples\/title-case\/index\.ts$/),
        expect.stringMatching(/functions\/transforms\/custom\/handler\.ts$/),
        expect.stringMatching(/functions\/transforms\/custom\/load-function\.ts$/),
        expect.stringMatching(/custom-function-entries\/custom-title-case\.ts$/),
      ]),
    );
    // The folder it registers under is the one the pipeline's node names.
    expect(bundle).toContain(JSON.stringify(TITLE_CASE));
    expect(bundle).toContain('the chunk has no column');
  });
});

describe('the generated custom function entry', () => {
  it("registers the folder's function, so the Lambda never imports from disk", async () => {
    const entry = join(PROJECT_ROOT, customFunctionEntry(TITLE_CASE));
    const previous = process.env[CUSTOM_FUNCTIONS_DIR_ENV];
    // A Lambda has no function folders: point the loader at none.
    process.env[CUSTOM_FUNCTIONS_DIR_ENV] = join(tmpdir(), 'etl-no-custom-functions');
    try {
      const generated = (await import(pathToFileURL(entry).href)) as { handler?: unknown };
      const example = (await import('../../../functions/transforms/custom/examples/title-case/index.ts'))
        .transform;

      expect(typeof generated.handler).toBe('function');
      expect(await loadCustomFunction(TITLE_CASE)).toBe(example);
      await expect(loadCustomFunction('functions/transforms/custom/template')).rejects.toThrow(
        'no index.ts or index.js',
      );
    } finally {
      if (previous === undefined) delete process.env[CUSTOM_FUNCTIONS_DIR_ENV];
      else process.env[CUSTOM_FUNCTIONS_DIR_ENV] = previous;
    }
  });
});
