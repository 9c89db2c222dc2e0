/** The per-node table printed after a run and by `etl show`. */
import type { NodeRun, RunRecord } from '../../store/run-types.ts';
import { formatCount, formatDuration, renderTable } from '../format.ts';

export function runSummary(run: RunRecord, nodes: readonly NodeRun[], order: readonly string[]): string {
  const position = (id: string) => {
    const index = order.indexOf(id);
    return index < 0 ? order.length : index;
  };
  const sorted = [...nodes].sort((a, b) => position(a.nodeId) - position(b.nodeId));
  const table = renderTable(
    ['node', 'module', 'status', 'chunks>', 'rows in>', 'rows out>', 'rejected>', 'filtered>', 'time>'],
    sorted.map((node) => [
      node.nodeId,
      node.module,
      node.status,
      formatCount(node.chunks),
      formatCount(node.rowsIn),
      formatCount(node.rowsOut),
      formatCount(node.rowsRejected),
      formatCount(node.rowsFiltered),
      formatDuration(node.durationMs),
    ]),
  );
  const elapsed = run.finishedAt
    ? formatDuration(Date.parse(run.finishedAt) - Date.parse(run.startedAt))
    : 'still running';
  const lines = [
    `run ${run.runId}  ${run.pipelineName}  ${run.status.toUpperCase()}  (${elapsed})`,
    '',
    table,
  ];
  if (run.error) {
    lines.push(
      '',
      `failed${run.error.nodeId ? ` at node ${run.error.nodeId}` : ''}: ${run.error.name}: ${run.error.message}`,
    );
  }
  return lines.join('\n');
}
