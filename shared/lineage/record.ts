/**
 * Records a finished run's lineage: learn each extractor's columns from what
 * the run kept, follow them through the graph, store one item per node.
 * Called once per run by whatever holds the pipeline when the run ends.
 */
import { type ParameterValues, setParameterVariables, withDuckDb } from '../duckdb/engine.ts';
import type { HandlerDeps } from '../lambda/deps.ts';
import { withWorkDir } from '../lambda/work-dir.ts';
import { registry } from '../modules/registry.ts';
import type { Pipeline } from '../spec/schema.ts';
import { LineageStore } from './lineage-store.ts';
import { computeRunLineage, type NodeLineage } from './run-lineage.ts';
import { readSourceSchemas } from './source-schemas.ts';

/** The lineage items of `deps.organization`, the tenant whose runs they describe. */
export function lineageStoreFor(deps: Pick<HandlerDeps, 'env' | 'organization' | 'dynamo'>): LineageStore {
  return new LineageStore(deps.dynamo, deps.env.metadataTable, deps.organization);
}

export async function recordRunLineage(
  pipeline: Pick<Pipeline, 'nodes' | 'edges'>,
  run: { readonly runId: string; readonly parameters: ParameterValues },
  deps: Pick<HandlerDeps, 'env' | 's3' | 'organization' | 'dynamo'>,
): Promise<NodeLineage[]> {
  const lineage = await withWorkDir((workDir) =>
    withDuckDb({ workDir, memoryLimitMb: 256 }, async (connection) => {
      // Filters and derived columns may read pipeline parameters; describing them needs the values.
      await setParameterVariables(connection, run.parameters);
      const storage = { s3: deps.s3, bucket: deps.env.stagingBucket, runId: run.runId, workDir, connection };
      const sources = await readSourceSchemas(storage, pipeline, registry);
      return computeRunLineage(pipeline, sources, { connection });
    }),
  );
  await lineageStoreFor(deps).put(run.runId, lineage);
  return lineage;
}
