/**
 * Lineage of a run started from a stored pipeline version (API, schedules,
 * triggers): Finalize holds only the run, so the graph is read back from the
 * pipeline store by the version the run recorded.
 */
import { createDynamoDbClient } from '../aws/clients.ts';
import type { HandlerDeps } from '../lambda/deps.ts';
import { PipelineStore } from '../store/pipeline-store.ts';
import { recordRunLineage } from './record.ts';
import type { NodeLineage } from './run-lineage.ts';

/** Records and returns the run's lineage; none when the run names no stored version (a local file run records its own). */
export async function recordStoredRunLineage(runId: string, deps: HandlerDeps): Promise<NodeLineage[]> {
  const run = await deps.store.getRun(runId);
  if (run?.pipelineVersion === undefined) return [];
  const pipelines = new PipelineStore(
    createDynamoDbClient(deps.env),
    deps.env.metadataTable,
    deps.organization,
  );
  const stored = await pipelines.getVersion(run.pipelineId, run.pipelineVersion);
  if (stored === undefined) return [];
  return recordRunLineage(stored.pipeline, run, deps);
}
