/**
 * The Step Functions service's requests, checked by their inputs: a fake
 * `send` records each command (no SDK mock library is installed); runs are
 * recorded in real emulators, as in the cloud they are in DynamoDB.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateStateMachineCommand,
  RedriveExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineAlreadyExists,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import { ulid } from 'ulid';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getJson } from '../../../../shared/aws/s3-objects.ts';
import { RunStateConflictError } from '../../../../shared/executions/errors.ts';
import { runSnapshotKey } from '../../../../shared/executions/run-snapshot.ts';
import {
  type SfnCommand,
  type SfnSender,
  StepFunctionsExecutionService,
} from '../../../../shared/executions/sfn-execution-service.ts';
import { handlerDeps } from '../../../../shared/lambda/deps.ts';
import { LOCAL_FUNCTION_NAMES } from '../../../../shared/runtime/function-handlers.ts';
import { type LocalServices, startLocalServices } from '../../../../shared/runtime/local-services.ts';
import { PipelineSchema } from '../../../../shared/spec/schema.ts';
import { deployedArnResolver, FUSED_CHAIN } from '../../../../statemachines/function-names.ts';

const ORG = 'acme';
const ROLE = 'arn:aws:iam::123456789012:role/etl-pipelines';
const PIPELINE = PipelineSchema.parse({
  id: 'orders',
  name: 'Orders',
  nodes: [
    { id: 'src', type: 'extractor', module: 's3-csv', config: { bucket: 'raw', prefix: 'orders/' } },
    { id: 'out', type: 'loader', module: 's3-parquet', config: { bucket: 'lake', prefix: 'orders/' } },
  ],
  edges: [{ source: 'src', target: 'out' }],
  parameters: { region: { type: 'string', default: 'eu' } },
});
const ARNS = Object.fromEntries(
  [...LOCAL_FUNCTION_NAMES, FUSED_CHAIN].map((name) => [
    name,
    `arn:aws:lambda:eu-west-1:123456789012:function:etl-${name}`,
  ]),
);

/** Records every command; `reply` decides each answer (by default `{}`). */
function fakeSfn(reply: (command: SfnCommand) => unknown = () => ({})): SfnSender & { sent: SfnCommand[] } {
  const sent: SfnCommand[] = [];
  return {
    sent,
    async send(command) {
      sent.push(command);
      return reply(command);
    },
  };
}

describe('StepFunctionsExecutionService', () => {
  let dataDir: string;
  let services: LocalServices;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'etl-sfn-'));
    services = await startLocalServices(dataDir);
  });
  afterAll(async () => {
    await services?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  let sfn: ReturnType<typeof fakeSfn>;
  let service: StepFunctionsExecutionService;
  beforeEach(() => {
    sfn = fakeSfn();
    service = new StepFunctionsExecutionService({
      sfn,
      roleArn: ROLE,
      region: 'eu-west-1',
      accountId: '123456789012',
      resolveFunctionArn: deployedArnResolver(ARNS),
      namePrefix: 'etl-prod-',
    });
  });

  it('accepts the real client as its sender', () => {
    const client: SfnSender = new SFNClient({ region: 'eu-west-1' });

    expect(typeof client.send).toBe('function');
  });

  describe('deployPipeline', () => {
    it('creates a Standard state machine named by organization and pipeline, running the translated ASL', async () => {
      await service.deployPipeline(ORG, PIPELINE);

      const [command] = sfn.sent;
      expect(command).toBeInstanceOf(CreateStateMachineCommand);
      const input = (command as CreateStateMachineCommand).input;
      expect(input).toMatchObject({ name: 'etl-prod-api-acme_orders', roleArn: ROLE, type: 'STANDARD' });
      const definition = JSON.parse(input.definition ?? '{}') as { StartAt: string };
      expect(definition.StartAt).toBe('Init');
      expect(input.definition).toContain('arn:aws:lambda:eu-west-1:123456789012:function:etl-control-init');
    });

    it('updates the definition when the state machine exists (a new pipeline version)', async () => {
      sfn = fakeSfn((command) => {
        if (command instanceof CreateStateMachineCommand) {
          throw new StateMachineAlreadyExists({ message: 'exists', $metadata: {} });
        }
        return {};
      });
      service = new StepFunctionsExecutionService({
        sfn,
        roleArn: ROLE,
        region: 'eu-west-1',
        accountId: '123456789012',
        resolveFunctionArn: deployedArnResolver(ARNS),
      });

      await service.deployPipeline(ORG, PIPELINE);

      expect(sfn.sent[1]).toBeInstanceOf(UpdateStateMachineCommand);
      expect((sfn.sent[1] as UpdateStateMachineCommand).input).toMatchObject({
        stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:etl-api-acme_orders',
        roleArn: ROLE,
      });
    });
  });

  describe('start', () => {
    it('records the run pending, keeps its snapshot, and starts an execution named by the run id', async () => {
      const runId = ulid();

      await service.start({
        organization: ORG,
        pipeline: PIPELINE,
        pipelineVersion: 3,
        runId,
        parameters: { region: 'us' },
        trigger: 'schedule',
      });

      expect(sfn.sent).toHaveLength(1);
      const start = sfn.sent[0] as StartExecutionCommand;
      expect(start).toBeInstanceOf(StartExecutionCommand);
      expect(start.input.stateMachineArn).toBe(
        'arn:aws:states:eu-west-1:123456789012:stateMachine:etl-prod-api-acme_orders',
      );
      expect(start.input.name).toBe(runId);
      expect(JSON.parse(start.input.input ?? '{}')).toStrictEqual({
        runId,
        parameters: { region: 'us' },
        trigger: 'schedule',
        organization: ORG,
        pipelineVersion: 3,
      });
      const deps = handlerDeps(ORG);
      expect(await deps.store.getRun(runId)).toMatchObject({
        status: 'pending',
        organization: ORG,
        pipelineId: 'orders',
        pipelineVersion: 3,
        parameters: { region: 'us' },
      });
      expect(await getJson(deps.s3, deps.env.stagingBucket, runSnapshotKey(runId))).toMatchObject({
        organization: ORG,
        pipelineVersion: 3,
      });
    });

    it("creates the pipeline's machine once and starts again when it does not exist under its name", async () => {
      let starts = 0;
      sfn = fakeSfn((command) => {
        if (command instanceof StartExecutionCommand && starts++ === 0) {
          throw new StateMachineDoesNotExist({ message: 'does not exist', $metadata: {} });
        }
        return {};
      });
      service = new StepFunctionsExecutionService({
        sfn,
        roleArn: ROLE,
        region: 'eu-west-1',
        accountId: '123456789012',
        resolveFunctionArn: deployedArnResolver(ARNS),
      });
      const runId = ulid();

      await service.start({
        organization: ORG,
        pipeline: PIPELINE,
        pipelineVersion: 2,
        runId,
        parameters: {},
        trigger: 'api',
      });

      expect(sfn.sent.map((command) => command.constructor.name)).toStrictEqual([
        'StartExecutionCommand',
        'CreateStateMachineCommand',
        'StartExecutionCommand',
      ]);
      expect((sfn.sent[1] as CreateStateMachineCommand).input.name).toBe('etl-api-acme_orders');
      expect((await handlerDeps(ORG).store.getRun(runId))?.status).toBe('pending');
    });

    it('records the run failed when StartExecution is refused', async () => {
      sfn = fakeSfn(() => {
        throw new Error('AccessDeniedException: not allowed');
      });
      service = new StepFunctionsExecutionService({
        sfn,
        roleArn: ROLE,
        region: 'eu-west-1',
        accountId: '123456789012',
        resolveFunctionArn: deployedArnResolver(ARNS),
      });
      const runId = ulid();

      await expect(
        service.start({
          organization: ORG,
          pipeline: PIPELINE,
          pipelineVersion: 1,
          runId,
          parameters: {},
          trigger: 'api',
        }),
      ).rejects.toThrow(/not allowed/);
      expect(await handlerDeps(ORG).store.getRun(runId)).toMatchObject({
        status: 'failed',
        error: { name: 'StartExecutionFailed', message: 'AccessDeniedException: not allowed' },
      });
    });
  });

  describe('cancel and redrive', () => {
    it('stops the execution and records the run cancelled, then redrives it and records it running', async () => {
      const runId = ulid();
      await service.start({
        organization: ORG,
        pipeline: PIPELINE,
        pipelineVersion: 1,
        runId,
        parameters: {},
        trigger: 'api',
      });
      const executionArn = `arn:aws:states:eu-west-1:123456789012:execution:etl-prod-api-acme_orders:${runId}`;

      await service.cancel(ORG, runId);
      const cancelled = await handlerDeps(ORG).store.getRun(runId);
      await service.redrive(ORG, runId);
      const redriven = await handlerDeps(ORG).store.getRun(runId);

      expect(sfn.sent[1]).toBeInstanceOf(StopExecutionCommand);
      expect((sfn.sent[1] as StopExecutionCommand).input).toStrictEqual({
        executionArn,
        error: 'RunCancelled',
        cause: 'the run was cancelled',
      });
      expect(cancelled?.status).toBe('cancelled');
      expect(sfn.sent[2]).toBeInstanceOf(RedriveExecutionCommand);
      expect((sfn.sent[2] as RedriveExecutionCommand).input).toStrictEqual({ executionArn });
      expect(redriven?.status).toBe('running');
      expect(redriven?.finishedAt).toBeUndefined();
      await expect(service.cancel(ORG, ulid())).rejects.toThrow(/does not exist in organization acme/);
    });

    it('refuses to redrive a run that has not ended', async () => {
      const runId = ulid();
      await service.start({
        organization: ORG,
        pipeline: PIPELINE,
        pipelineVersion: 1,
        runId,
        parameters: {},
        trigger: 'api',
      });

      await expect(service.redrive(ORG, runId)).rejects.toThrow(RunStateConflictError);
    });
  });
});
