/** Per-chunk counters: written to the store (summed by Finalize) and emitted as EMF metrics. */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ChunkMetrics } from '../store/run-types.ts';
import type { HandlerDeps } from './deps.ts';
import type { NodeRef, RunContext } from './events.ts';
import type { Observability } from './powertools.ts';

export async function recordChunkMetrics(
  deps: HandlerDeps,
  observability: Observability,
  run: RunContext,
  node: NodeRef,
  metrics: ChunkMetrics,
): Promise<void> {
  await deps.store.recordChunk(run.runId, node.id, metrics);
  const { metrics: emf } = observability;
  emf.addDimensions({ pipeline: run.pipelineId, node: node.id });
  emf.addMetric('RowsIn', MetricUnit.Count, metrics.rowsIn);
  emf.addMetric('RowsOut', MetricUnit.Count, metrics.rowsOut);
  emf.addMetric('RowsRejected', MetricUnit.Count, metrics.rowsRejected);
  emf.addMetric('RowsFiltered', MetricUnit.Count, metrics.rowsFiltered);
  emf.addMetric('ChunkDuration', MetricUnit.Milliseconds, metrics.durationMs);
}
