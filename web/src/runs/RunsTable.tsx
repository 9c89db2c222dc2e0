/** Runs with status, trigger, duration and rows; one table for the global and per-pipeline lists. */
import type { RunSummary } from '../api/types.ts';
import { href } from '../router/routes.ts';
import { formatCount, formatDuration, formatTime } from '../ui/format.ts';
import { StatusBadge } from '../ui/StatusBadge.tsx';

export function RunsTable({
  runs,
  showPipeline,
}: {
  readonly runs: readonly RunSummary[];
  readonly showPipeline: boolean;
}) {
  if (runs.length === 0) return <p>No runs yet.</p>;
  return (
    <table className="runs-table">
      <thead>
        <tr>
          <th scope="col">Run</th>
          {showPipeline && <th scope="col">Pipeline</th>}
          <th scope="col">Status</th>
          <th scope="col">Trigger</th>
          <th scope="col">Started</th>
          <th scope="col">Duration</th>
          <th scope="col">Rows in</th>
          <th scope="col">Rows out</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.runId}>
            <td>
              <a href={href({ page: 'run', runId: run.runId })}>
                <code>{run.runId}</code>
              </a>
            </td>
            {showPipeline && (
              <td>
                <a href={href({ page: 'pipeline-runs', pipelineId: run.pipelineId })}>{run.pipelineName}</a> v
                {run.pipelineVersion}
              </td>
            )}
            <td>
              <StatusBadge status={run.status} />
            </td>
            <td>{run.trigger}</td>
            <td>{formatTime(run.startedAt)}</td>
            <td>{formatDuration(run.durationMs)}</td>
            <td>{formatCount(run.rowsIn)}</td>
            <td>{formatCount(run.rowsOut)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
