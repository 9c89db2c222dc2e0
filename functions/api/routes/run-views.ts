/** Store records -> API shapes for runs: summaries, and details with per-node status and counters. */
import type { z } from '@hono/zod-openapi';
import type { ModuleRegistry } from '../../../shared/modules/registry.ts';
import type { RunStore } from '../../../shared/store/run-store.ts';
import type { NodeRun, RunRecord } from '../../../shared/store/run-types.ts';
import type { NodeRunSchema, RunDetailSchema, RunSummarySchema } from '../schemas.ts';

export type RunSummary = z.output<typeof RunSummarySchema>;
export type RunDetail = z.output<typeof RunDetailSchema>;
type NodeView = z.output<typeof NodeRunSchema>;

const FINISHED = new Set(['success', 'failed', 'cancelled', 'timeout']);

export function runSummary(run: RunRecord): RunSummary {
  const durationMs = run.finishedAt ? Date.parse(run.finishedAt) - Date.parse(run.startedAt) : undefined;
  return {
    runId: run.runId,
    pipelineId: run.pipelineId,
    pipelineVersion: run.pipelineVersion ?? 0,
    pipelineName: run.pipelineName,
    status: run.status,
    trigger: run.trigger,
    parameters: { ...run.parameters },
    startedAt: run.startedAt,
    ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}),
    ...(durationMs !== undefined && Number.isFinite(durationMs) ? { durationMs } : {}),
    ...(run.error ? { error: { ...run.error } } : {}),
    ...(run.rerunOf ? { rerunOf: run.rerunOf } : {}),
  };
}

function nodeView(node: NodeRun): NodeView {
  return {
    nodeId: node.nodeId,
    module: node.module,
    status: node.status,
    rowsIn: node.rowsIn,
    rowsOut: node.rowsOut,
    rowsRejected: node.rowsRejected,
    rowsFiltered: node.rowsFiltered,
    chunks: node.chunks,
    durationMs: node.durationMs,
    ...(node.error ? { error: { ...node.error } } : {}),
  };
}

/**
 * A run with its nodes. Node items hold totals once the run ends; while it
 * runs, counters are summed from the chunk items recorded so far, and a node
 * with chunks done is `running`.
 */
export async function runDetail(
  store: RunStore,
  registry: ModuleRegistry,
  run: RunRecord,
): Promise<RunDetail> {
  const stored = await store.getNodeRuns(run.runId);
  let nodes = stored.map(nodeView);
  if (!FINISHED.has(run.status)) {
    const totals = await store.nodeTotals(run.runId);
    nodes = stored.map((node) => {
      const sum = totals.get(node.nodeId);
      if (sum === undefined) return nodeView(node);
      const status = node.status === 'pending' && sum.chunks > 0 ? 'running' : node.status;
      return nodeView({ ...node, ...sum, status });
    });
  }
  const kind = (node: NodeView) => registry.get(node.module)?.kind;
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  return {
    ...runSummary(run),
    rowsIn: sum(nodes.filter((node) => kind(node) === 'extractor').map((node) => node.rowsIn)),
    rowsOut: sum(nodes.filter((node) => kind(node) === 'loader').map((node) => node.rowsOut)),
    nodes,
  };
}
