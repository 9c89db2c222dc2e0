/**
 * Plans formats that cannot be cut at byte offsets (a zip archive, one XML
 * document): one chunk per file, so files are read in parallel.
 */
import { z } from 'zod';
import { ChunkDescriptorSchema } from '../../../shared/chunks/ref.ts';
import { listSourceFiles } from '../../../shared/chunks/source-files.ts';
import type { ConnectorIo } from '../../../shared/modules/kernels.ts';
import type { RecordFilesConfig } from './config.ts';

export const FileChunkSchema = ChunkDescriptorSchema.extend({ key: z.string(), size: z.int().min(0) });
export type FileChunk = z.output<typeof FileChunkSchema>;

export async function planFiles(
  config: RecordFilesConfig,
  io: ConnectorIo,
  _chunkSizeBytes: number,
): Promise<FileChunk[]> {
  const files = await listSourceFiles(io.s3, {
    bucket: config.bucket,
    prefix: config.prefix,
    ...(config.pattern ? { pattern: config.pattern } : {}),
    allowEmpty: config.allow_empty,
  });
  return files.map((file, index) => ({ index, key: file.key, size: file.size }));
}
