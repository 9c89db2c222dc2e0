/**
 * The cloud executor: one Standard state machine per pipeline (created or
 * updated when the pipeline is saved), one execution per run named by the
 * run id, so a repeated StartExecution for a run is rejected rather than run
 * twice. Runs are recorded in the store by the same rules as locally.
 */
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  RedriveExecutionCommand,
  StartExecutionCommand,
  StateMachineAlreadyExists,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import type { FunctionArnResolver } from '../../statemachines/function-names.ts';
import { pipelineIdOf } from '../../statemachines/pipeline-id.ts';
import { translatePipeline } from '../../statemachines/translate.ts';
import { type HandlerDeps, handlerDeps } from '../lambda/deps.ts';
import type { ExecutionInput } from '../lambda/events.ts';
import type { Pipeline } from '../spec/schema.ts';
import type { RunStatus } from '../store/run-types.ts';
import { RunNotFoundError, RunStateConflictError } from './errors.ts';
import type { ExecutionService, RerunFailedChunksRequest, StartRunRequest } from './execution-service.ts';
import { recordPendingRun } from './pending-run.ts';
import { assertResumable, prepareRerunOf } from './resume-run.ts';
import { type RunSnapshot, writeRunSnapshot } from './run-snapshot.ts';
import { apiStateMachineName } from './state-machine-name.ts';

/** The commands this service sends. */
export type SfnCommand =
  | CreateStateMachineCommand
  | UpdateStateMachineCommand
  | DeleteStateMachineCommand
  | StartExecutionCommand
  | StopExecutionCommand
  | RedriveExecutionCommand;

/** Only `send` is used: an `SFNClient` fits, and tests pass a fake that records the commands. */
export interface SfnSender {
  send(command: SfnCommand): Promise<unknown>;
}

export interface StepFunctionsSettings {
  readonly sfn: SfnSender;
  /** Role every pipeline's state machine runs with (`PipelineRuntime.executionRole`). */
  readonly roleArn: string;
  /** `PipelineRuntime.stateMachineNamePrefix`; default `etl-`. */
  readonly namePrefix?: string;
  /** Where executions log errors (`PipelineRuntime.logGroup`); no logging when absent. */
  readonly logGroupArn?: string;
  readonly region: string;
  readonly accountId: string;
  /** The deployed Lambda ARNs (`deployedArnResolver`). */
  readonly resolveFunctionArn: FunctionArnResolver;
  /** Stores and clients for an organization; the handler environment's by default. */
  readonly deps?: (organization: string) => HandlerDeps;
}

const ENDED: readonly RunStatus[] = ['success', 'failed', 'cancelled', 'timeout'];

export class StepFunctionsExecutionService implements ExecutionService {
  private readonly deps: (organization: string) => HandlerDeps;

  constructor(private readonly settings: StepFunctionsSettings) {
    this.deps = settings.deps ?? handlerDeps;
  }

  private name(organization: string, pipelineId: string): string {
    return apiStateMachineName(this.settings.namePrefix ?? 'etl-', organization, pipelineId);
  }

  stateMachineArn(organization: string, pipelineId: string): string {
    const { region, accountId } = this.settings;
    return `arn:aws:states:${region}:${accountId}:stateMachine:${this.name(organization, pipelineId)}`;
  }

  executionArn(organization: string, pipelineId: string, runId: string): string {
    const { region, accountId } = this.settings;
    return `arn:aws:states:${region}:${accountId}:execution:${this.name(organization, pipelineId)}:${runId}`;
  }

  async deployPipeline(organization: string, pipeline: Pipeline): Promise<void> {
    const pipelineId = pipelineIdOf(pipeline);
    const definition = JSON.stringify(
      translatePipeline(pipeline, { resolveFunctionArn: this.settings.resolveFunctionArn }),
    );
    const { sfn, roleArn, logGroupArn } = this.settings;
    // Errors only, without execution data: states carry references, but inputs are no business of the logs.
    const loggingConfiguration =
      logGroupArn === undefined
        ? undefined
        : {
            level: 'ERROR' as const,
            includeExecutionData: false,
            destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: `${logGroupArn}:*` } }],
          };
    try {
      await sfn.send(
        new CreateStateMachineCommand({
          name: this.name(organization, pipelineId),
          definition,
          roleArn,
          type: 'STANDARD',
          ...(loggingConfiguration ? { loggingConfiguration } : {}),
          tags: [
            { key: 'etl:organization', value: organization },
            { key: 'etl:pipeline', value: pipelineId },
          ],
        }),
      );
    } catch (error) {
      if (!(error instanceof StateMachineAlreadyExists)) throw error;
      // Saved before: a new pipeline version replaces the definition; running executions keep theirs.
      await sfn.send(
        new UpdateStateMachineCommand({
          stateMachineArn: this.stateMachineArn(organization, pipelineId),
          definition,
          roleArn,
          ...(loggingConfiguration ? { loggingConfiguration } : {}),
        }),
      );
    }
  }

  async removePipeline(organization: string, pipelineId: string): Promise<void> {
    await this.settings.sfn.send(
      new DeleteStateMachineCommand({ stateMachineArn: this.stateMachineArn(organization, pipelineId) }),
    );
  }

  async start(request: StartRunRequest): Promise<void> {
    await this.launch({
      organization: request.organization,
      runId: request.runId,
      pipeline: request.pipeline,
      pipelineVersion: request.pipelineVersion,
      parameters: request.parameters,
      trigger: request.trigger,
    });
  }

  async cancel(organization: string, runId: string): Promise<void> {
    const { store } = this.deps(organization);
    const run = await store.getRun(runId);
    if (run === undefined) throw new RunNotFoundError(organization, runId);
    if (ENDED.includes(run.status)) {
      throw new RunStateConflictError(
        `run ${runId} has already ended (${run.status}): there is nothing to cancel`,
      );
    }
    await this.settings.sfn.send(
      new StopExecutionCommand({
        executionArn: this.executionArn(organization, run.pipelineId, runId),
        error: 'RunCancelled',
        cause: 'the run was cancelled',
      }),
    );
    // A stopped execution runs no OnFailure: the run's end is recorded here.
    await store.finishRun(runId, 'cancelled', new Date().toISOString(), {
      name: 'RunCancelled',
      message: 'the run was cancelled',
    });
  }

  /**
   * RedriveExecution: Step Functions resumes the same execution (same
   * definition and input) from its unsuccessful states, within 14 days.
   */
  async redrive(organization: string, runId: string): Promise<void> {
    const { store } = this.deps(organization);
    const run = assertResumable(await store.getRun(runId), organization, runId, 'redriven');
    await this.settings.sfn.send(
      new RedriveExecutionCommand({ executionArn: this.executionArn(organization, run.pipelineId, runId) }),
    );
    // Init does not run again on a redrive, so the run goes back to running here.
    const { finishedAt: _finishedAt, error: _error, organization: _organization, ...rest } = run;
    await store.startRun({ ...rest, status: 'running' }, []);
  }

  async rerunFailedChunks(request: RerunFailedChunksRequest): Promise<void> {
    const snapshot = await prepareRerunOf(this.deps(request.organization), request);
    await this.launch(snapshot, request.failedRunId);
  }

  private async launch(snapshot: RunSnapshot, resumeFrom?: string): Promise<void> {
    const { organization, runId, pipeline } = snapshot;
    const deps = this.deps(organization);
    await writeRunSnapshot(deps.s3, deps.env.stagingBucket, snapshot);
    await recordPendingRun(deps.store, snapshot);
    const input: ExecutionInput = {
      runId,
      parameters: snapshot.parameters,
      trigger: snapshot.trigger,
      organization,
      ...(snapshot.pipelineVersion === undefined ? {} : { pipelineVersion: snapshot.pipelineVersion }),
      ...(snapshot.rerunOf === undefined ? {} : { rerunOf: snapshot.rerunOf }),
      ...(resumeFrom === undefined ? {} : { resumeFrom }),
    };
    const startExecution = () =>
      this.settings.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn(organization, pipelineIdOf(pipeline)),
          name: runId,
          input: JSON.stringify(input),
        }),
      );
    try {
      await startExecution().catch(async (error: unknown) => {
        if (!(error instanceof StateMachineDoesNotExist)) throw error;
        // Saved before its machine was named as now (or the machine was deleted): create it from the run's version.
        await this.deployPipeline(organization, pipeline);
        await startExecution();
      });
    } catch (error) {
      // The run must not stay pending when its execution never started.
      const message = error instanceof Error ? error.message : String(error);
      await deps.store.finishRun(runId, 'failed', new Date().toISOString(), {
        name: 'StartExecutionFailed',
        message,
      });
      throw error;
    }
  }
}
