/**
 * The envelope of every node task: correlation keys on the logger, failures
 * recorded against the node (so the run says which node failed and why), and
 * errors typed so the state machine retries only what is transient.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { boundedMessage, DataError, EtlError } from '../errors.ts';
import type { HandlerDeps } from './deps.ts';
import type { NodeRef, RunContext } from './events.ts';
import type { Observability } from './powertools.ts';
import { withRunOrganization } from './run-organization.ts';

/** Every node error message starts so: the run's error names its node even without a store record. */
export function nodeErrorPrefix(node: Pick<NodeRef, 'id' | 'module'>): string {
  return `node ${node.id} (${node.module}): `;
}

export function nodeIdFromErrorMessage(message: string): string | undefined {
  return /^node ([A-Za-z][A-Za-z0-9_-]*) \([^)]*\): /.exec(message)?.[1];
}

function asTypedError(error: unknown): EtlError {
  if (error instanceof EtlError) return error;
  // An unclassified error is a bug or bad data: retrying the same input cannot help.
  const message = error instanceof Error ? error.message : String(error);
  return new DataError(message, { cause: error });
}

export async function runNodeTask<T>(
  deps: HandlerDeps,
  observability: Observability,
  run: RunContext,
  node: NodeRef,
  work: () => Promise<T>,
): Promise<T> {
  observability.logger.appendKeys({ runId: run.runId, pipelineId: run.pipelineId, nodeId: node.id });
  try {
    return await withRunOrganization(run.organization, work);
  } catch (error) {
    const typed = asTypedError(error);
    typed.message = `${nodeErrorPrefix(node)}${boundedMessage(typed.message)}`;
    observability.logger.error('node task failed', { errorName: typed.name, kind: typed.kind, error: typed });
    observability.metrics.addDimensions({ pipeline: run.pipelineId, node: node.id });
    observability.metrics.addMetric(
      typed.kind === 'terminal' ? 'TerminalErrors' : 'TransientErrors',
      MetricUnit.Count,
      1,
    );
    if (typed.kind === 'terminal') {
      await deps.store
        .recordNodeFailure(run.runId, node.id, { nodeId: node.id, name: typed.name, message: typed.message })
        .catch((recordError: unknown) => {
          // The task fails either way; the run's Catch still carries the error.
          observability.logger.error('could not record node failure', { error: recordError });
        });
    }
    throw typed;
  }
}

export function elapsedMs(startedAt: number): number {
  return Math.round(performance.now() - startedAt);
}
