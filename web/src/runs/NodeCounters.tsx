/** Per-node counters of a run: rows in, out, rejected and filtered, chunks, duration. */
import type { NodeRun } from '../api/types.ts';
import { formatCount, formatDuration } from '../ui/format.ts';
import { StatusBadge } from '../ui/StatusBadge.tsx';

function errorText(error: NodeRun['error']): string | undefined {
  if (error === undefined) return undefined;
  return typeof error === 'string' ? error : `${error.name ? `${error.name}: ` : ''}${error.message}`;
}

export function NodeCounters({ nodes }: { readonly nodes: readonly NodeRun[] }) {
  return (
    <table className="node-counters">
      <caption>Nodes</caption>
      <thead>
        <tr>
          <th scope="col">Node</th>
          <th scope="col">Module</th>
          <th scope="col">Status</th>
          <th scope="col">Rows in</th>
          <th scope="col">Rows out</th>
          <th scope="col">Rejected</th>
          <th scope="col">Filtered</th>
          <th scope="col">Chunks</th>
          <th scope="col">Duration</th>
        </tr>
      </thead>
      <tbody>
        {nodes.map((node) => (
          <tr key={node.nodeId} data-node={node.nodeId}>
            <th scope="row">{node.nodeId}</th>
            <td>{node.module}</td>
            <td>
              <StatusBadge status={node.status} />
              {node.error !== undefined && <div className="field-errors">{errorText(node.error)}</div>}
            </td>
            <td>{formatCount(node.rowsIn)}</td>
            <td>{formatCount(node.rowsOut)}</td>
            <td>{formatCount(node.rowsRejected)}</td>
            <td>{formatCount(node.rowsFiltered)}</td>
            <td>{formatCount(node.chunks)}</td>
            <td>{formatDuration(node.durationMs)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
