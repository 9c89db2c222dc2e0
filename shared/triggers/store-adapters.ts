/**
 * The pipeline store as the triggers see it: the trigger index across
 * organizations, and the latest version of a pipeline of any organization.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PipelineStore, PipelineTriggerIndex } from '../store/pipeline-store.ts';
import type { PipelineSource, TriggerTargets } from './s3-trigger.ts';

export function triggerTargetsFromStore(client: DynamoDBDocumentClient, table: string): TriggerTargets {
  return new PipelineTriggerIndex(client, table);
}

export function pipelineSourceFromStore(client: DynamoDBDocumentClient, table: string): PipelineSource {
  return {
    getLatest: (organization, pipelineId) =>
      new PipelineStore(client, table, organization).getLatest(pipelineId),
  };
}
