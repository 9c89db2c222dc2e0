/**
 * Streaming S3 object I/O: sources are streamed to local files for DuckDB and
 * results uploaded from files, so memory stays bounded by the chunk.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  CopyObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { classifyAwsError } from './s3-errors.ts';
import { formatS3Uri } from './s3-uri.ts';

export interface S3ObjectSummary {
  readonly key: string;
  readonly size: number;
  readonly lastModified?: Date;
}

/** Every object under a prefix, across pages, in key order. */
export async function listObjects(s3: S3Client, bucket: string, prefix: string): Promise<S3ObjectSummary[]> {
  const objects: S3ObjectSummary[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await s3
      .send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: continuationToken }),
      )
      .catch((error: unknown) => {
        throw classifyAwsError(error, `listing ${formatS3Uri(bucket, prefix)}`);
      });
    for (const item of page.Contents ?? []) {
      if (item.Key === undefined) continue;
      objects.push({
        key: item.Key,
        size: item.Size ?? 0,
        ...(item.LastModified ? { lastModified: item.LastModified } : {}),
      });
    }
    continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (continuationToken);
  return objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export interface ByteRange {
  /** First byte, inclusive. */
  readonly start: number;
  /** Last byte, exclusive. */
  readonly end: number;
}

/** Streams an object (or a byte range of it) into a local file; `append` adds to an existing file. */
export async function downloadToFile(
  s3: S3Client,
  bucket: string,
  key: string,
  path: string,
  options: { range?: ByteRange; append?: boolean } = {},
): Promise<void> {
  const { range } = options;
  if (range && range.end <= range.start) {
    if (!options.append) await pipeline(Readable.from([]), createWriteStream(path));
    return;
  }
  const what = `reading ${formatS3Uri(bucket, key)}`;
  const response = await s3
    .send(
      new GetObjectCommand({
        Bucket: bucket,
        Key: key,
        ...(range ? { Range: `bytes=${range.start}-${range.end - 1}` } : {}),
      }),
    )
    .catch((error: unknown) => {
      throw classifyAwsError(error, what);
    });
  if (!(response.Body instanceof Readable)) throw classifyAwsError(new Error('response has no body'), what);
  await pipeline(response.Body, createWriteStream(path, { flags: options.append ? 'a' : 'w' })).catch(
    (error: unknown) => {
      throw classifyAwsError(error, what);
    },
  );
}

/** Opens an object as a stream, for scanners that read it once from start to end. */
export async function openObjectStream(s3: S3Client, bucket: string, key: string): Promise<Readable> {
  const what = `reading ${formatS3Uri(bucket, key)}`;
  const response = await s3
    .send(new GetObjectCommand({ Bucket: bucket, Key: key }))
    .catch((error: unknown) => {
      throw classifyAwsError(error, what);
    });
  if (!(response.Body instanceof Readable)) throw classifyAwsError(new Error('response has no body'), what);
  return response.Body;
}

/**
 * Files up to this size are uploaded from memory: the SDK retries a request
 * whose body is a buffer, but not one whose body is a stream it has started
 * reading ("non-retryable streaming request"), so a dropped connection or a
 * 503 would fail the whole task instead of costing one retry. Chunk files
 * stay well under it; larger files still stream.
 */
const RETRYABLE_UPLOAD_MAX_BYTES = 256 * 1024 * 1024;

export async function uploadFile(s3: S3Client, path: string, bucket: string, key: string): Promise<number> {
  const { size } = await stat(path);
  const body = size <= RETRYABLE_UPLOAD_MAX_BYTES ? await readFile(path) : createReadStream(path);
  await s3
    .send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: size }))
    .catch((error: unknown) => {
      throw classifyAwsError(error, `writing ${formatS3Uri(bucket, key)}`);
    });
  return size;
}

export async function putJson(s3: S3Client, bucket: string, key: string, value: unknown): Promise<void> {
  await s3
    .send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: JSON.stringify(value, null, 2),
        ContentType: 'application/json',
      }),
    )
    .catch((error: unknown) => {
      throw classifyAwsError(error, `writing ${formatS3Uri(bucket, key)}`);
    });
}

export async function copyObject(
  s3: S3Client,
  from: { bucket: string; key: string },
  to: { bucket: string; key: string },
): Promise<void> {
  await s3
    .send(
      new CopyObjectCommand({
        Bucket: to.bucket,
        Key: to.key,
        CopySource: encodeURI(`${from.bucket}/${from.key}`),
      }),
    )
    .catch((error: unknown) => {
      throw classifyAwsError(
        error,
        `copying ${formatS3Uri(from.bucket, from.key)} to ${formatS3Uri(to.bucket, to.key)}`,
      );
    });
}

/** Reads a small JSON object (a manifest, a marker); the caller validates its shape. */
export async function getJson(s3: S3Client, bucket: string, key: string): Promise<unknown> {
  const what = `reading ${formatS3Uri(bucket, key)}`;
  const response = await s3
    .send(new GetObjectCommand({ Bucket: bucket, Key: key }))
    .catch((error: unknown) => {
      throw classifyAwsError(error, what);
    });
  const text = (await response.Body?.transformToString('utf8')) ?? '';
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw classifyAwsError(error, `${what}: not JSON`);
  }
}
