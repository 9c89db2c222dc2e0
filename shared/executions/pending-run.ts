/**
 * A run is recorded as `pending` before its execution starts, whichever
 * service starts it: it is listed at once, and a failure to start is visible.
 * Init then records it `running`.
 */
import { pipelineIdOf } from '../../statemachines/pipeline-id.ts';
import type { RunStore } from '../store/run-store.ts';
import type { RunSnapshot } from './run-snapshot.ts';

/** The pipeline's declared parameter defaults overridden by the run's: what Init records too. */
function effectiveParameters(snapshot: RunSnapshot): RunSnapshot['parameters'] {
  const defaults: Record<string, string | number | boolean> = {};
  for (const [name, parameter] of Object.entries(snapshot.pipeline.parameters)) {
    if (parameter.default !== undefined) defaults[name] = parameter.default;
  }
  return { ...defaults, ...snapshot.parameters };
}

export async function recordPendingRun(store: RunStore, snapshot: RunSnapshot): Promise<void> {
  const { runId, pipeline } = snapshot;
  await store.startRun(
    {
      runId,
      pipelineId: pipelineIdOf(pipeline),
      pipelineName: pipeline.name,
      ...(snapshot.pipelineVersion === undefined ? {} : { pipelineVersion: snapshot.pipelineVersion }),
      ...(snapshot.rerunOf === undefined ? {} : { rerunOf: snapshot.rerunOf }),
      status: 'pending',
      trigger: snapshot.trigger,
      parameters: effectiveParameters(snapshot),
      startedAt: new Date().toISOString(),
    },
    pipeline.nodes.map((node) => ({ nodeId: node.id, module: node.module })),
  );
}
