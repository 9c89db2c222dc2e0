/** `etl put`, `etl ls`, `etl get`: move files in and out of the local S3. */
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { downloadToFile, listObjects, uploadFile } from '../../aws/s3-objects.ts';
import { formatS3Uri, parseS3Uri } from '../../aws/s3-uri.ts';
import { ensureBucket, startLocalServices } from '../../runtime/local-services.ts';
import { formatBytes, renderTable } from '../format.ts';

async function localFiles(path: string): Promise<string[]> {
  if (!(await stat(path)).isDirectory()) return [path];
  const entries = await readdir(path, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** A file goes to the key given; a folder's files go under the key as a prefix. */
export async function putCommand(
  localPath: string,
  uri: string,
  options: { dataDir: string },
): Promise<void> {
  const { bucket, key } = parseS3Uri(uri);
  const isDirectory = (await stat(localPath)).isDirectory();
  const services = await startLocalServices(options.dataDir);
  try {
    await ensureBucket(services.s3, bucket);
    for (const file of await localFiles(localPath)) {
      const target = isDirectory
        ? `${key.replace(/\/?$/, '/')}${relative(localPath, file).split('\\').join('/')}`
        : key;
      const bytes = await uploadFile(services.s3, file, bucket, target);
      console.log(`${file} -> ${formatS3Uri(bucket, target)} (${formatBytes(bytes)})`);
    }
  } finally {
    await services.stop();
  }
}

export async function lsCommand(uri: string | undefined, options: { dataDir: string }): Promise<void> {
  const services = await startLocalServices(options.dataDir);
  try {
    if (uri === undefined) {
      const { Buckets = [] } = await services.s3.send(new ListBucketsCommand({}));
      for (const bucket of Buckets) console.log(`s3://${bucket.Name}/`);
      return;
    }
    const { bucket, key } = parseS3Uri(uri);
    const objects = await listObjects(services.s3, bucket, key);
    console.log(
      renderTable(
        ['key', 'size>', 'modified'],
        objects.map((object) => [
          formatS3Uri(bucket, object.key),
          formatBytes(object.size),
          object.lastModified?.toISOString() ?? '',
        ]),
      ),
    );
    console.log(`${objects.length} object(s)`);
  } finally {
    await services.stop();
  }
}

export async function getCommand(
  uri: string,
  localPath: string,
  options: { dataDir: string },
): Promise<void> {
  const { bucket, key } = parseS3Uri(uri);
  const services = await startLocalServices(options.dataDir);
  try {
    await downloadToFile(services.s3, bucket, key, localPath);
    console.log(`${uri} -> ${localPath}`);
  } finally {
    await services.stop();
  }
}
