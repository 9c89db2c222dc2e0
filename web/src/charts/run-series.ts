/** Turns a pipeline's runs into the aligned time series uPlot draws (oldest first, seconds since epoch). */
import type { RunSummary } from '../api/types.ts';

export interface RunSeries {
  readonly time: number[];
  readonly durationSeconds: (number | null)[];
  readonly rowsIn: (number | null)[];
  readonly rowsOut: (number | null)[];
  /** Rejected rows / rows in; null where the run reports no rejects or read nothing. */
  readonly rejectRatio: (number | null)[];
}

export function runSeries(runs: readonly RunSummary[]): RunSeries {
  const finished = runs
    .filter((run) => run.status !== 'pending' && run.status !== 'running')
    .map((run) => ({ run, at: Date.parse(run.startedAt) / 1000 }))
    .filter(({ at }) => Number.isFinite(at))
    .sort((a, b) => a.at - b.at);
  return {
    time: finished.map(({ at }) => at),
    durationSeconds: finished.map(({ run }) => (run.durationMs === undefined ? null : run.durationMs / 1000)),
    rowsIn: finished.map(({ run }) => run.rowsIn ?? null),
    rowsOut: finished.map(({ run }) => run.rowsOut ?? null),
    rejectRatio: finished.map(({ run }) =>
      run.rowsRejected !== undefined && run.rowsIn ? run.rowsRejected / run.rowsIn : null,
    ),
  };
}
