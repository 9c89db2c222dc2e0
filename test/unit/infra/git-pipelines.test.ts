import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasDistributedMap } from '../../../infra/grants/state-machine-access.ts';
import { loadPipelineFiles, type PipelineFile, PipelineFilesError } from '../../../infra/pipeline-files.ts';
import type { EtlPlatformStack } from '../../../infra/stacks/platform-stack.ts';
import { registry } from '../../../shared/modules/registry.ts';
import { pipelineIdOf } from '../../../statemachines/pipeline-id.ts';
import { translatePipeline } from '../../../statemachines/translate.ts';
import { permissionLines } from './iam-lines.ts';
import { logicalIdOf, platformTemplate } from './synth.ts';

const examplesDir = fileURLToPath(new URL('../../../examples/', import.meta.url));

let stack: EtlPlatformStack;
let template: Template;
let examples: PipelineFile[];

beforeAll(async () => {
  ({ stack, template } = await platformTemplate());
  examples = await loadPipelineFiles(examplesDir, registry);
});

/** Stands in for a deployed function's ARN: the function's logical id makes it unique. */
function deployedArn(logicalId: string): string {
  return `arn:aws:lambda:eu-west-1:123456789012:function:${logicalId}`;
}

/**
 * The definition as CloudFormation will hand it to Step Functions: the
 * template's `Fn::Join` with every `Fn::GetAtt <function>.Arn` replaced by
 * that function's ARN. Any other intrinsic would be a bug of the CDK path.
 */
function renderDefinition(definitionString: unknown): unknown {
  const join = (definitionString as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join === undefined) return JSON.parse(String(definitionString));
  const text = join[1]
    .map((part) => {
      if (typeof part === 'string') return part;
      const getAtt = (part as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
      if (getAtt?.[1] !== 'Arn')
        throw new Error(`unexpected intrinsic in the definition: ${JSON.stringify(part)}`);
      return deployedArn(getAtt[0]);
    })
    .join(join[0]);
  return JSON.parse(text);
}

function stateMachineResource(pipelineId: string) {
  const found = template.findResources('AWS::StepFunctions::StateMachine', {
    Properties: { StateMachineName: `EtlPlatform-git-${pipelineId}` },
  });
  const [resource] = Object.values(found) as { Properties: Record<string, unknown> }[];
  if (resource === undefined) throw new Error(`no state machine for ${pipelineId}`);
  return resource.Properties;
}

describe('GitPipelines', () => {
  it('deploys every example pipeline', () => {
    expect(examples.length).toBeGreaterThanOrEqual(2);
    expect([...stack.gitPipelines.stateMachines.keys()].sort()).toStrictEqual(
      examples.map(({ pipeline }) => pipelineIdOf(pipeline)).sort(),
    );
  });

  it('deploys exactly the translator ASL, with the deployed function ARNs', () => {
    for (const { pipeline } of examples) {
      const arnOf = (name: string) => deployedArn(logicalIdOf(stack.functions.functions.get(name)?.function));

      const deployed = renderDefinition(stateMachineResource(pipelineIdOf(pipeline)).DefinitionString);

      expect(deployed).toStrictEqual(translatePipeline(pipeline, { resolveFunctionArn: arnOf }));
    }
  });

  it('logs every execution event and traces with X-Ray', () => {
    for (const { pipeline } of examples) {
      expect(stateMachineResource(pipelineIdOf(pipeline))).toMatchObject({
        StateMachineType: 'STANDARD',
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: {
          Level: 'ALL',
          IncludeExecutionData: false,
          Destinations: [
            {
              CloudWatchLogsLogGroup: {
                LogGroupArn: { 'Fn::GetAtt': [logicalIdOf(stack.pipelineRuntime.logGroup), 'Arn'] },
              },
            },
          ],
        },
      });
    }
  });

  it('lets a state machine invoke only the functions its ASL names', () => {
    const birdstrikes = stack.gitPipelines.stateMachines.get('birdstrikes-damage');
    const invoked = birdstrikes?.invokedFunctions ?? [];

    const lines = permissionLines(template, logicalIdOf(birdstrikes?.stateMachine.role));

    // The transforms between extractor and loader run fused, in one fused-chain invocation per chunk.
    expect(invoked).toStrictEqual([
      'control-finalize',
      'control-init',
      'control-on-failure',
      'fused-chain',
      's3-csv',
      's3-parquet',
    ]);
    expect(lines.filter((line) => line.startsWith('lambda:'))).toStrictEqual(
      invoked
        .map(
          (name) =>
            `lambda:InvokeFunction <${logicalIdOf(stack.functions.functions.get(name)?.function)}.Arn>`,
        )
        .sort(),
    );
  });

  it('lets a machine with a Distributed Map run its children and their S3 reads and writes, and no other', () => {
    const staging = `<${logicalIdOf(stack.buckets.staging)}.Arn>/runs/*`;
    const machine = (kind: string, name: string) =>
      `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:${kind}:${name}`;

    for (const [id, deployed] of stack.gitPipelines.stateMachines) {
      const lines = permissionLines(template, logicalIdOf(deployed.stateMachine.role)).filter((line) =>
        /^(states|s3):/.test(line),
      );

      const name = `EtlPlatform-git-${id}`;
      const expected = hasDistributedMap(deployed.definition)
        ? [
            `s3:AbortMultipartUpload ${staging}`,
            `s3:GetObject ${staging}`,
            `s3:ListMultipartUploadParts ${staging}`,
            `s3:PutObject ${staging}`,
            `states:DescribeExecution ${machine('execution', `${name}/*`)}`,
            `states:StartExecution ${machine('stateMachine', name)}`,
            `states:StopExecution ${machine('execution', `${name}/*`)}`,
          ]
        : [];
      expect(lines, id).toStrictEqual(expected);
    }
  });

  it('shares the log group and an invoke-everything role with machines the API creates', () => {
    const role = logicalIdOf(stack.pipelineRuntime.executionRole);

    const invokable = permissionLines(template, role).filter((line) => line.startsWith('lambda:'));

    expect(invokable).toHaveLength(stack.functions.functions.size);
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/etl/EtlPlatform/pipeline-runtime',
      Value: Match.anyValue(),
    });
  });
});

describe('loadPipelineFiles', () => {
  async function folderWith(files: Record<string, unknown>): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'etl-pipelines-'));
    for (const [name, content] of Object.entries(files)) {
      await mkdir(join(dir, name, '..'), { recursive: true });
      await writeFile(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
    }
    return dir;
  }

  const birdstrikes = async () =>
    JSON.parse(await readFile(join(examplesDir, 'birdstrikes', 'pipeline.json'), 'utf8')) as Record<
      string,
      unknown
    >;

  it('reads <dir>/*.json and <dir>/<name>/pipeline.json', async () => {
    const pipeline = await birdstrikes();
    const dir = await folderWith({
      'a.json': { ...pipeline, name: 'first' },
      'b/pipeline.json': { ...pipeline, name: 'second' },
      'notes/readme.txt': 'not a pipeline',
    });

    const loaded = await loadPipelineFiles(dir, registry);

    expect(loaded.map(({ file, pipeline }) => [file, pipeline.name])).toStrictEqual([
      ['a.json', 'first'],
      [join('b', 'pipeline.json'), 'second'],
    ]);
  });

  it('reads no pipelines from a folder that does not exist', async () => {
    expect(await loadPipelineFiles(join(tmpdir(), 'etl-no-such-folder'), registry)).toStrictEqual([]);
  });

  it('fails when files are invalid, listing every problem of every file', async () => {
    const pipeline = await birdstrikes();
    const dir = await folderWith({
      'bad-module.json': { ...pipeline, nodes: [{ ...(pipeline.nodes as object[])[0], module: 's3-cvs' }] },
      'not-json.json': '{ "name": ',
      'twin-1.json': { ...pipeline, id: 'twin' },
      'twin-2.json': { ...pipeline, id: 'twin' },
    });

    const failure = await loadPipelineFiles(dir, registry).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(PipelineFilesError);
    const problems = (failure as PipelineFilesError).problems.join('\n');
    expect(problems).toMatch(/^bad-module\.json: \/nodes\/0\/module unknown module "s3-cvs"/m);
    expect(problems).toMatch(/^not-json\.json: .*invalid JSON/m);
    expect(problems).toMatch(/^twin-2\.json: pipeline id twin is also the id of twin-1\.json$/m);
  });
});
