/**
 * `etl serve`'s executor: each run is the translated ASL executed in-process
 * by the ASL interpreter (`startPipelineLocally`), in the background, with a
 * registry of the executions still going so they can be cancelled.
 */
import { handlerDeps } from '../lambda/deps.ts';
import type { LocalServices } from '../runtime/local-services.ts';
import type { LocalExecution, LocalRunOptions } from '../runtime/run-local.ts';
import { startPipelineLocally } from '../runtime/run-local.ts';
import type { Pipeline } from '../spec/schema.ts';
import type { RunRecord } from '../store/run-types.ts';
import { RunNotFoundError, RunStateConflictError } from './errors.ts';
import type { ExecutionService, RerunFailedChunksRequest, StartRunRequest } from './execution-service.ts';
import { recordPendingRun } from './pending-run.ts';
import { assertResumable, prepareRedrive, prepareRerunOf } from './resume-run.ts';
import { type RunSnapshot, readRunSnapshot, writeRunSnapshot } from './run-snapshot.ts';

export interface LocalExecutionServiceOptions {
  /** Milliseconds between retries instead of each Retry's backoff (tests). */
  readonly retryDelayMs?: number;
  /** Called when a run ended and its outcome is recorded (or could not be). */
  readonly onRunEnded?: (organization: string, runId: string, error?: unknown) => void;
}

const FINISHED: readonly RunRecord['status'][] = ['success', 'failed', 'cancelled', 'timeout'];

export class LocalExecutionService implements ExecutionService {
  private readonly running = new Map<string, LocalExecution>();
  /** Runs between the checks and the start of their execution. */
  private readonly launching = new Set<string>();

  constructor(
    private readonly services: LocalServices,
    private readonly options: LocalExecutionServiceOptions = {},
  ) {}

  /** Locally the definition is translated from the pipeline at every start: there is nothing to deploy. */
  async deployPipeline(_organization: string, _pipeline: Pipeline): Promise<void> {}

  /** Nothing was deployed, so nothing to remove; runs under way finish on their own. */
  async removePipeline(_organization: string, _pipelineId: string): Promise<void> {}

  async start(request: StartRunRequest): Promise<void> {
    await this.launch({
      organization: request.organization,
      runId: request.runId,
      pipeline: request.pipeline,
      ...(request.pipelineVersion === undefined ? {} : { pipelineVersion: request.pipelineVersion }),
      parameters: request.parameters,
      trigger: request.trigger,
    });
  }

  async cancel(organization: string, runId: string): Promise<void> {
    const { store } = handlerDeps(organization);
    const run = await store.getRun(runId);
    if (run === undefined) throw new RunNotFoundError(organization, runId);
    if (FINISHED.includes(run.status)) {
      throw new RunStateConflictError(
        `run ${runId} has already ended (${run.status}): there is nothing to cancel`,
      );
    }
    const execution = this.running.get(registryKey(organization, runId));
    if (execution !== undefined) {
      execution.cancel();
      // Resolve once the run's status says `cancelled` (or the outcome it reached first).
      await execution.done.catch(() => undefined);
      return;
    }
    // Pending or running with no execution in this process: the process that ran it is gone.
    await store.finishRun(runId, 'cancelled', new Date().toISOString(), {
      name: 'RunCancelled',
      message: 'the run was cancelled after the process running it had stopped',
    });
  }

  async redrive(organization: string, runId: string): Promise<void> {
    const deps = handlerDeps(organization);
    assertResumable(await deps.store.getRun(runId), organization, runId, 'redriven');
    // Its outcome is recorded, but the execution may still be closing its event log.
    await this.running.get(registryKey(organization, runId))?.done.catch(() => undefined);
    const previous = await readRunSnapshot(deps.s3, deps.env.stagingBucket, organization, runId);
    // Counted as Step Functions counts redrives, and kept in the snapshot so a restart goes on counting:
    // a failure of this attempt is a new failure to alert and notify about.
    const redriveCount = (previous.redriveCount ?? 0) + 1;
    const snapshot: RunSnapshot = { ...previous, redriveCount };
    await prepareRedrive(deps, snapshot);
    await this.launch(snapshot, { resumeFrom: runId, redriveCount });
  }

  async rerunFailedChunks(request: RerunFailedChunksRequest): Promise<void> {
    const snapshot = await prepareRerunOf(handlerDeps(request.organization), request);
    await this.launch(snapshot, { resumeFrom: request.failedRunId });
  }

  /** Resolves once every execution this service started has ended (for shutdown and tests). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.running.values()].map((execution) => execution.done));
  }

  /**
   * Records the run as `pending` before anything runs (so it is listed at
   * once, and a failure to start is visible), then runs it in the background.
   */
  private async launch(
    snapshot: RunSnapshot,
    extra: Pick<LocalRunOptions, 'resumeFrom' | 'redriveCount'> = {},
  ): Promise<void> {
    const { organization, runId } = snapshot;
    const key = registryKey(organization, runId);
    // Two redrives of one run at once would run its chunks twice side by side.
    if (this.running.has(key) || this.launching.has(key)) {
      throw new RunStateConflictError(`run ${runId} is already running`);
    }
    this.launching.add(key);
    try {
      await this.launchReserved(snapshot, extra);
    } finally {
      this.launching.delete(key);
    }
  }

  private async launchReserved(
    snapshot: RunSnapshot,
    extra: Pick<LocalRunOptions, 'resumeFrom' | 'redriveCount'>,
  ): Promise<void> {
    const { organization, runId, pipeline } = snapshot;
    const key = registryKey(organization, runId);
    const deps = handlerDeps(organization);
    await writeRunSnapshot(deps.s3, deps.env.stagingBucket, snapshot);
    await recordPendingRun(deps.store, snapshot);
    let execution: LocalExecution;
    try {
      execution = await startPipelineLocally(pipeline, this.services, {
        runId,
        organization,
        parameters: snapshot.parameters,
        trigger: snapshot.trigger,
        ...(snapshot.pipelineVersion === undefined ? {} : { pipelineVersion: snapshot.pipelineVersion }),
        ...(snapshot.rerunOf === undefined ? {} : { rerunOf: snapshot.rerunOf }),
        ...extra,
        ...(this.options.retryDelayMs === undefined ? {} : { retryDelayMs: this.options.retryDelayMs }),
      });
    } catch (error) {
      await this.recordStartFailure(organization, runId, error);
      throw error;
    }
    this.running.set(key, execution);
    execution.done.then(
      () => {
        this.running.delete(key);
        this.options.onRunEnded?.(organization, runId);
      },
      async (error: unknown) => {
        this.running.delete(key);
        // The run's own error is what onRunEnded reports; if the store is down too, the run stays
        // pending, and cancel closes it later.
        await this.recordStartFailure(organization, runId, error).catch(() => undefined);
        this.options.onRunEnded?.(organization, runId, error);
      },
    );
  }

  /** A run that could not start or whose outcome was never recorded must not stay `pending` forever. */
  private async recordStartFailure(organization: string, runId: string, error: unknown): Promise<void> {
    const { store } = handlerDeps(organization);
    const message = error instanceof Error ? error.message : String(error);
    await store.finishRun(runId, 'failed', new Date().toISOString(), { name: 'LocalRuntimeError', message });
  }
}

function registryKey(organization: string, runId: string): string {
  return `${organization}/${runId}`;
}
