/** What the end of a run tells the alerting and notification code. */
import type { NodeRun, RunError } from '../store/run-types.ts';

/** The two moments a pipeline can ask to be told about (`notifications.on_success` / `on_failure`). */
export type RunEvent = 'success' | 'failure';

export interface RunOutcome {
  readonly organization: string;
  readonly runId: string;
  readonly pipelineId: string;
  readonly pipelineName: string;
  /** The version the run executed, when known: its notification settings apply. */
  readonly pipelineVersion?: number;
  readonly status: 'success' | 'failed' | 'timeout';
  /** Redrives before the attempt that ended (shared/executions/run-attempt.ts); absent: the first. */
  readonly attempt?: number;
  readonly error?: RunError;
  readonly nodes: readonly Pick<NodeRun, 'nodeId' | 'module' | 'rowsIn' | 'rowsRejected'>[];
}

/** A failed data-quality rule of severity `warn` in a run that succeeded. */
export interface QualityWarning {
  readonly nodeId: string;
  readonly rule: string;
  readonly column: string;
  readonly failed: number;
  readonly checked: number;
}

export function runEventOf(outcome: Pick<RunOutcome, 'status'>): RunEvent {
  return outcome.status === 'success' ? 'success' : 'failure';
}
