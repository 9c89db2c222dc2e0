/**
 * What a plan learned once for the whole source (the inferred schema), kept in
 * the staging bucket beside the run, so chunk descriptors in the state stay tiny.
 */

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { downloadToFile, putJson } from '../aws/s3-objects.ts';
import { InvalidEventError } from '../errors.ts';

export const PlanFileSchema = z.strictObject({
  columns: z.array(z.strictObject({ name: z.string(), type: z.string() })),
  /** Module-specific settings every chunk must agree on (e.g. detected JSON layout). */
  settings: z.record(z.string(), z.unknown()).default({}),
});
export type PlanFile = z.output<typeof PlanFileSchema>;

export function planFileKey(runId: string, nodeId: string): string {
  return `runs/${runId}/${nodeId}/source-plan.json`;
}

export async function writePlanFile(
  s3: S3Client,
  bucket: string,
  runId: string,
  nodeId: string,
  plan: PlanFile,
): Promise<void> {
  await putJson(s3, bucket, planFileKey(runId, nodeId), plan);
}

export async function readPlanFile(
  s3: S3Client,
  bucket: string,
  runId: string,
  nodeId: string,
  workDir: string,
): Promise<PlanFile> {
  const path = join(workDir, 'plan.json');
  await downloadToFile(s3, bucket, planFileKey(runId, nodeId), path);
  const parsed = PlanFileSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success)
    throw new InvalidEventError(`plan file of node ${nodeId} is malformed: ${parsed.error.message}`);
  return parsed.data;
}
