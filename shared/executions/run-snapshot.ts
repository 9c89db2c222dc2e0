/**
 * What a run was started with, kept beside its chunks at
 * `runs/<runId>/run.json` in the staging bucket: redrive needs the exact
 * pipeline version again, and a rerun of failed chunks checks the current
 * version against the one whose chunks it reuses. It holds no secrets
 * (pipelines name connections, never credentials).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { getJson, putJson } from '../aws/s3-objects.ts';
import { SourceNotFoundError } from '../errors.ts';
import { ParameterValuesSchema } from '../lambda/events.ts';
import { PipelineSchema } from '../spec/schema.ts';
import { RunNotFoundError, RunStateConflictError } from './errors.ts';

const RunSnapshotSchema = z.strictObject({
  organization: z.string(),
  runId: z.string(),
  pipeline: PipelineSchema,
  pipelineVersion: z.int().min(1).optional(),
  parameters: ParameterValuesSchema,
  trigger: z.enum(['manual', 'schedule', 'api', 's3']),
  rerunOf: z.string().optional(),
  /** Redrives so far (the local runtime's count; Step Functions keeps its own in the cloud). */
  redriveCount: z.int().min(0).optional(),
});
export type RunSnapshot = z.output<typeof RunSnapshotSchema>;

export function runSnapshotKey(runId: string): string {
  return `runs/${runId}/run.json`;
}

export async function writeRunSnapshot(s3: S3Client, bucket: string, snapshot: RunSnapshot): Promise<void> {
  await putJson(s3, bucket, runSnapshotKey(snapshot.runId), snapshot);
}

export async function readRunSnapshot(
  s3: S3Client,
  bucket: string,
  organization: string,
  runId: string,
): Promise<RunSnapshot> {
  const document = await getJson(s3, bucket, runSnapshotKey(runId)).catch((error: unknown) => {
    if (!(error instanceof SourceNotFoundError)) throw error;
    throw new RunStateConflictError(
      `run ${runId} has no snapshot (${runSnapshotKey(runId)}): it was not started through the execution service (e.g. by \`etl run\`), so it cannot be redriven or rerun`,
    );
  });
  const parsed = RunSnapshotSchema.safeParse(document);
  if (!parsed.success) {
    throw new Error(`${runSnapshotKey(runId)} is not a run snapshot: ${parsed.error.message}`);
  }
  // Staging keys are not under the organization: never hand one tenant another's run.
  if (parsed.data.organization !== organization) throw new RunNotFoundError(organization, runId);
  return parsed.data;
}
