/** A whole-file chunk fetched into the task's work dir: whole-file sources parse it from disk. */
import { join } from 'node:path';
import { downloadToFile } from '../../../shared/aws/s3-objects.ts';
import { formatS3Uri } from '../../../shared/aws/s3-uri.ts';
import { type ChunkDescriptor, parseChunkDescriptor } from '../../../shared/chunks/ref.ts';
import type { ConnectorIo } from '../../../shared/modules/kernels.ts';
import { FileChunkSchema } from './plan.ts';

export interface DownloadedChunk {
  /** `s3://bucket/key`, for messages that say where a problem is. */
  readonly source: string;
  readonly path: string;
}

export async function downloadFileChunk(
  bucket: string,
  descriptor: ChunkDescriptor,
  io: ConnectorIo,
  fileName: string,
): Promise<DownloadedChunk> {
  const chunk = parseChunkDescriptor(FileChunkSchema, descriptor, 'file');
  const path = join(io.workDir, fileName);
  await downloadToFile(io.s3, bucket, chunk.key, path);
  return { source: formatS3Uri(bucket, chunk.key), path };
}
