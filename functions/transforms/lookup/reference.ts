/**
 * The reference file of a lookup, downloaded once per process and reused for
 * every chunk while the object is unchanged (same size and modification
 * time), so a warm Lambda reads it from S3 once per version.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { downloadToFile, listObjects } from '../../../shared/aws/s3-objects.ts';
import { formatS3Uri } from '../../../shared/aws/s3-uri.ts';
import { SourceNotFoundError } from '../../../shared/errors.ts';

export type ReferenceFetcher = (bucket: string, key: string) => Promise<string>;

const cache = new Map<string, Promise<string>>();

export function createReferenceFetcher(s3: () => S3Client): ReferenceFetcher {
  return async (bucket, key) => {
    const client = s3();
    const object = (await listObjects(client, bucket, key)).find((candidate) => candidate.key === key);
    if (object === undefined)
      throw new SourceNotFoundError(`lookup: reference ${formatS3Uri(bucket, key)} does not exist`);
    const version = `${formatS3Uri(bucket, key)}#${object.size}#${object.lastModified?.toISOString() ?? ''}`;
    let path = cache.get(version);
    if (path === undefined) {
      path = (async () => {
        const folder = await mkdtemp(join(tmpdir(), 'etl-lookup-'));
        const local = join(folder, key.split('/').at(-1) ?? 'reference');
        await downloadToFile(client, bucket, key, local);
        return local;
      })();
      // A failed download is not cached: the next chunk tries again.
      path.catch(() => cache.delete(version));
      cache.set(version, path);
    }
    return path;
  };
}
