/** Store records -> API shapes for pipelines. */
import type { z } from '@hono/zod-openapi';
import type { PipelineHead, PipelineVersion } from '../../../shared/store/pipeline-store.ts';
import type { RunRecord } from '../../../shared/store/run-types.ts';
import type { PipelineDetailSchema, PipelineSummarySchema } from '../schemas.ts';

export type PipelineDetail = z.output<typeof PipelineDetailSchema>;
export type PipelineSummary = z.output<typeof PipelineSummarySchema>;

export function pipelineDetail(version: PipelineVersion): PipelineDetail {
  return {
    id: version.id,
    version: version.version,
    createdAt: version.createdAt,
    createdBy: version.createdBy,
    pipeline: version.pipeline as PipelineDetail['pipeline'],
  };
}

export function pipelineSummary(head: PipelineHead, lastRun: RunRecord | undefined): PipelineSummary {
  return {
    id: head.id,
    name: head.name,
    ...(head.description !== undefined ? { description: head.description } : {}),
    version: head.version,
    updatedAt: head.updatedAt,
    updatedBy: head.updatedBy,
    ...(head.schedule ? { schedule: head.schedule } : {}),
    ...(lastRun
      ? { lastRun: { runId: lastRun.runId, status: lastRun.status, startedAt: lastRun.startedAt } }
      : {}),
  };
}
