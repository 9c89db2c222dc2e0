/**
 * What the control plane asks of whatever executes pipelines: Step Functions
 * in the cloud, the ASL interpreter in-process locally. The API and the
 * triggers speak only to this interface, so `etl serve` and the cloud share
 * every route and trigger.
 */
import type { Pipeline } from '../spec/schema.ts';
import type { RunTrigger } from '../store/run-types.ts';

export type ParameterValues = Readonly<Record<string, string | number | boolean>>;

export interface StartRunRequest {
  /** Tenant the run belongs to: every key it writes is under this organization. */
  readonly organization: string;
  readonly pipeline: Pipeline;
  readonly pipelineVersion: number;
  readonly runId: string;
  readonly parameters: ParameterValues;
  readonly trigger: RunTrigger;
}

export interface RerunFailedChunksRequest {
  readonly organization: string;
  /** The failed run whose failed chunks are run again. */
  readonly failedRunId: string;
  /** The pipeline's current version (it may carry the fix). */
  readonly pipeline: Pipeline;
  readonly pipelineVersion: number;
  /** Id of the new run. */
  readonly runId: string;
}

export interface ExecutionService {
  /** Creates or updates the pipeline's state machine (a no-op where definitions are built per run). */
  deployPipeline(organization: string, pipeline: Pipeline): Promise<void>;
  /** Removes the pipeline's state machine, if any. */
  removePipeline(organization: string, pipelineId: string): Promise<void>;
  /** Starts a run; resolves once the run is recorded, not when it ends. */
  start(request: StartRunRequest): Promise<void>;
  /** Stops a running run; the run ends `cancelled`. */
  cancel(organization: string, runId: string): Promise<void>;
  /** Resumes a failed run from the states that failed, with the same definition. */
  redrive(organization: string, runId: string): Promise<void>;
  /** A new run of the current version over only the chunks that failed in `failedRunId`. */
  rerunFailedChunks(request: RerunFailedChunksRequest): Promise<void>;
}
