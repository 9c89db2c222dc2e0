/** Runs and per-node counters as the control plane records them. */

export type RunStatus = 'pending' | 'running' | 'success' | 'failed' | 'cancelled' | 'timeout';
export type RunTrigger = 'manual' | 'schedule' | 'api' | 's3';
export type NodeStatus = 'pending' | 'running' | 'success' | 'failed';

/**
 * Rows through one node. Invariant: rowsIn = rowsOut + rowsRejected + rowsFiltered,
 * except for a join, which may multiply rows: there rowsFiltered counts the
 * unmatched input rows its type drops (functions/transforms/join/kernel.ts).
 */
export interface RowCounters {
  readonly rowsIn: number;
  readonly rowsOut: number;
  readonly rowsRejected: number;
  readonly rowsFiltered: number;
}

export interface ChunkMetrics extends RowCounters {
  readonly chunkIndex: number;
  readonly durationMs: number;
  readonly bytesOut: number;
}

export interface RunError {
  readonly nodeId?: string;
  readonly name: string;
  readonly message: string;
}

export interface NodeRun extends RowCounters {
  readonly nodeId: string;
  readonly module: string;
  readonly status: NodeStatus;
  readonly chunks: number;
  readonly durationMs: number;
  readonly error?: RunError;
}

export interface RunRecord {
  readonly runId: string;
  /** The tenant; always the organization of the store the record was read from. */
  readonly organization: string;
  readonly pipelineId: string;
  /** The pipeline version the run executes (absent for runs of an unversioned file, `etl run`). */
  readonly pipelineVersion?: number;
  /** For a rerun of failed chunks: the failed run it completes. */
  readonly rerunOf?: string;
  readonly pipelineName: string;
  readonly status: RunStatus;
  readonly trigger: RunTrigger;
  readonly parameters: Readonly<Record<string, string | number | boolean>>;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly error?: RunError;
}

/** What a caller records: the organization comes from the store it writes to. */
export type NewRunRecord = Omit<RunRecord, 'organization'>;

export const ZERO_COUNTERS: RowCounters = { rowsIn: 0, rowsOut: 0, rowsRejected: 0, rowsFiltered: 0 };
