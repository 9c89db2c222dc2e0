/**
 * Publishes a run's staged chunks into the dataset, then writes the run's
 * manifest. Keys are derived from run and chunk, so a retried commit
 * overwrites the same objects and never duplicates rows.
 */
import { z } from 'zod';
import { copyObject, getJson, listObjects, putJson } from '../../../shared/aws/s3-objects.ts';
import { formatS3Uri } from '../../../shared/aws/s3-uri.ts';
import { InvalidEventError } from '../../../shared/errors.ts';
import type { CommitResult, ConnectorIo } from '../../../shared/modules/kernels.ts';
import { STAGED_MARKER } from '../s3-load-common/stage-files.ts';
import type { S3ParquetConfig } from './module.ts';
import { publicationRunId } from './publication-run.ts';

const StagedMarkerSchema = z.object({ rows: z.int().min(0), files: z.array(z.string()) });

export interface LoadManifest {
  readonly runId: string;
  readonly pipelineId: string;
  readonly nodeId: string;
  readonly committedAt: string;
  readonly rows: number;
  readonly files: string[];
}

export function manifestKey(prefix: string, runId: string): string {
  return `${prefix}_manifests/${runId}.json`;
}

/** `Wildlife%20Size=Small/part-0.parquet` of chunk 3 -> `Wildlife%20Size=Small/<runId>-00003-part-0.parquet`. */
function publishedName(runId: string, chunkDir: string, file: string): string {
  const slash = file.lastIndexOf('/');
  const dir = slash >= 0 ? file.slice(0, slash + 1) : '';
  const chunk = chunkDir.replace(/^chunk-/, '');
  return `${dir}${runId}-${chunk}-${file.slice(slash + 1)}`;
}

export async function commitParquet(
  config: Pick<S3ParquetConfig, 'bucket' | 'prefix'>,
  io: ConnectorIo & { readonly stagingPrefix: string },
): Promise<CommitResult> {
  const staged = await listObjects(io.s3, io.stagingBucket, io.stagingPrefix);
  const markers = staged.filter((object) => object.key.endsWith(`/${STAGED_MARKER}`));
  const files: string[] = [];
  let rows = 0;
  // A rerun publishes (files and manifest) as the run it completes: see publication-run.ts.
  const publishAs = await publicationRunId(io.s3, io.stagingBucket, io.run);

  for (const marker of markers) {
    const chunkPrefix = marker.key.slice(0, -STAGED_MARKER.length);
    const chunkDir = chunkPrefix.slice(io.stagingPrefix.length, -1);
    const parsed = StagedMarkerSchema.safeParse(await getJson(io.s3, io.stagingBucket, marker.key));
    if (!parsed.success)
      throw new InvalidEventError(`staged marker ${marker.key} is malformed: ${parsed.error.message}`);
    for (const file of parsed.data.files) {
      const key = `${config.prefix}${publishedName(publishAs, chunkDir, file)}`;
      await copyObject(
        io.s3,
        { bucket: io.stagingBucket, key: `${chunkPrefix}${file}` },
        { bucket: config.bucket, key },
      );
      files.push(key);
    }
    rows += parsed.data.rows;
  }

  const manifest: LoadManifest = {
    runId: io.run.runId,
    pipelineId: io.run.pipelineId,
    nodeId: io.nodeId,
    committedAt: new Date().toISOString(),
    rows,
    files,
  };
  await putJson(io.s3, config.bucket, manifestKey(config.prefix, publishAs), manifest);
  return { files: files.length, rows, destination: formatS3Uri(config.bucket, config.prefix) };
}
