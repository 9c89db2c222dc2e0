/** One run, live: status, DAG coloured by node status, counters, then quality, rejects and alerts. */
import type { PipelineDoc, RunDetail } from '../api/types.ts';
import { useSession } from '../auth/session.tsx';
import { href } from '../router/routes.ts';
import { AsyncView } from '../ui/AsyncView.tsx';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { formatCount, formatDuration, formatTime } from '../ui/format.ts';
import { StatusBadge } from '../ui/StatusBadge.tsx';
import { useAsync } from '../ui/useAsync.ts';
import { NodeCounters } from './NodeCounters.tsx';
import { RunControls } from './RunControls.tsx';
import { RunDag } from './RunDag.tsx';
import { RunFindings } from './RunFindings.tsx';
import { isActive, useRunPolling } from './useRunPolling.ts';

function RunHeader({ run }: { readonly run: RunDetail }) {
  return (
    <dl className="run-summary">
      <dt>Status</dt>
      <dd data-testid="run-status">
        <StatusBadge status={run.status} />
      </dd>
      <dt>Pipeline</dt>
      <dd>
        <a href={href({ page: 'pipeline-runs', pipelineId: run.pipelineId })}>{run.pipelineName}</a> v
        {run.pipelineVersion}
      </dd>
      <dt>Trigger</dt>
      <dd>{run.trigger}</dd>
      <dt>Started</dt>
      <dd>{formatTime(run.startedAt)}</dd>
      <dt>Duration</dt>
      <dd>{formatDuration(run.durationMs)}</dd>
      <dt>Rows</dt>
      <dd>
        {formatCount(run.rowsIn)} in · {formatCount(run.rowsOut)} out
      </dd>
      {Object.keys(run.parameters ?? {}).length > 0 && (
        <>
          <dt>Parameters</dt>
          <dd>
            <code>{JSON.stringify(run.parameters)}</code>
          </dd>
        </>
      )}
      {run.rerunOf && (
        <>
          <dt>Re-run of</dt>
          <dd>
            <a href={href({ page: 'run', runId: run.rerunOf })}>{run.rerunOf}</a>
          </dd>
        </>
      )}
    </dl>
  );
}

/** The node order of the pipeline document, so counters read in the order the graph is drawn. */
function inPipelineOrder(run: RunDetail, pipeline: PipelineDoc): RunDetail['nodes'] {
  const order = new Map(pipeline.nodes.map((node, index) => [node.id, index]));
  return [...run.nodes].sort(
    (a, b) =>
      (order.get(a.nodeId) ?? Number.MAX_SAFE_INTEGER) - (order.get(b.nodeId) ?? Number.MAX_SAFE_INTEGER),
  );
}

function RunGraphAndCounters({ run }: { readonly run: RunDetail }) {
  const { client } = useSession();
  const [state] = useAsync(
    () => client.version(run.pipelineId, run.pipelineVersion),
    [client, run.pipelineId, run.pipelineVersion],
  );
  return (
    <AsyncView state={state} label="pipeline graph">
      {(detail) => (
        <>
          <RunDag pipeline={detail.pipeline} nodes={run.nodes} />
          <NodeCounters nodes={inPipelineOrder(run, detail.pipeline)} />
        </>
      )}
    </AsyncView>
  );
}

export default function RunPage({ runId }: { readonly runId: string }) {
  const { run, error, refresh } = useRunPolling(runId);
  return (
    <section aria-labelledby="run-title" className="run-page">
      <div className="page-header">
        <h1 id="run-title">
          Run <code>{runId}</code>
        </h1>
        {run && <RunControls run={run} onChanged={refresh} />}
      </div>
      {error && <ErrorMessage error={error} />}
      {!run && !error && <p aria-busy="true">Loading run…</p>}
      {run && (
        <>
          <RunHeader run={run} />
          {run.error && (
            <div role="alert" className="error-message">
              {run.error.nodeId && <strong>{run.error.nodeId}: </strong>}
              {run.error.name}: {run.error.message}
            </div>
          )}
          <RunGraphAndCounters run={run} />
          {isActive(run.status) ? (
            <p aria-live="polite">Refreshing every second while the run is {run.status}…</p>
          ) : (
            <RunFindings runId={run.runId} />
          )}
        </>
      )}
    </section>
  );
}
