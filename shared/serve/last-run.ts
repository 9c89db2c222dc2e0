/**
 * An ExecutionService that also remembers each pipeline's latest run on its
 * head item (shown as `lastRun` in pipeline lists), whoever started it: the
 * API, a schedule or an S3 trigger.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ExecutionService } from '../executions/execution-service.ts';
import { PipelineStore } from '../store/pipeline-store.ts';

export function recordingLastRun(
  inner: ExecutionService,
  client: DynamoDBDocumentClient,
  table: string,
): ExecutionService {
  const note = (organization: string, pipelineId: string | undefined, runId: string) =>
    pipelineId === undefined
      ? Promise.resolve()
      : new PipelineStore(client, table, organization).noteRun(pipelineId, runId);
  return {
    deployPipeline: (organization, pipeline) => inner.deployPipeline(organization, pipeline),
    removePipeline: (organization, pipelineId) => inner.removePipeline(organization, pipelineId),
    cancel: (organization, runId) => inner.cancel(organization, runId),
    redrive: (organization, runId) => inner.redrive(organization, runId),
    async start(request) {
      await inner.start(request);
      await note(request.organization, request.pipeline.id, request.runId);
    },
    async rerunFailedChunks(request) {
      await inner.rerunFailedChunks(request);
      await note(request.organization, request.pipeline.id, request.runId);
    },
  };
}
