/** A pipeline node on the canvas: id, module, handles by kind, and its errors or run status. */
import { Handle, type NodeProps, Position } from '@xyflow/react';
import { formatCount } from '../ui/format.ts';
import { useNodeDecoration } from './decorations.ts';
import type { ModuleFlowNode } from './model.ts';

export const BARRIER_HINT =
  'Ends a stage: every chunk of its input is shuffled by key, then reduced per bucket, before the next stage starts';

export function ModuleNode({ id, data, selected }: NodeProps<ModuleFlowNode>) {
  const { errors, run, barrier } = useNodeDecoration(id);
  const errorCount = errors?.messages.length ?? 0;
  const classes = ['module-node', `kind-${data.kind}`];
  if (selected) classes.push('selected');
  if (errorCount > 0) classes.push('has-errors');
  if (run) classes.push(`run-${run.status}`);
  return (
    <div
      className={classes.join(' ')}
      data-testid={`node-${id}`}
      data-status={run?.status}
      data-errors={errorCount}
      data-barrier={barrier || undefined}
      title={errors?.messages.join('\n')}
    >
      {data.kind !== 'extractor' && <Handle type="target" position={Position.Left} />}
      <div className="module-node-id">{id}</div>
      <div className="module-node-module">
        {data.module} · {data.kind}
        {barrier && (
          <span className="module-node-barrier" title={BARRIER_HINT}>
            barrier
          </span>
        )}
      </div>
      {errorCount > 0 && (
        <div className="module-node-errors" role="note">
          {errorCount === 1 ? '1 error' : `${errorCount} errors`}: {errors?.messages[0]}
        </div>
      )}
      {run && (
        <div className="module-node-run">
          <span className={`status status-${run.status}`}>{run.status}</span> {formatCount(run.rowsIn)} →{' '}
          {formatCount(run.rowsOut)}
        </div>
      )}
      {data.kind !== 'loader' && <Handle type="source" position={Position.Right} />}
    </div>
  );
}
