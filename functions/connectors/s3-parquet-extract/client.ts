/**
 * Reading parts of a Parquet object without downloading it whole: the
 * footer (last 8 bytes give its length, then the metadata) and given byte
 * ranges, each written at its own offset into a sparse local file of the
 * object's size. DuckDB then reads that file as if it were the object, and
 * touches only the footer and the row groups a query selects.
 */
import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { classifyAwsError } from '../../../shared/aws/s3-errors.ts';
import { formatS3Uri } from '../../../shared/aws/s3-uri.ts';
import { notParquet } from './errors.ts';

export interface ByteSpan {
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
}

const MAGIC = 'PAR1';
const TAIL_BYTES = 8;

async function getRange(s3: S3Client, bucket: string, key: string, span: ByteSpan): Promise<Readable> {
  const what = `reading bytes ${span.start}-${span.end - 1} of ${formatS3Uri(bucket, key)}`;
  const response = await s3
    .send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${span.start}-${span.end - 1}` }))
    .catch((error: unknown) => {
      throw classifyAwsError(error, what);
    });
  if (!(response.Body instanceof Readable)) throw classifyAwsError(new Error('response has no body'), what);
  return response.Body;
}

async function readRange(s3: S3Client, bucket: string, key: string, span: ByteSpan): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of await getRange(s3, bucket, key, span)) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

/** The byte span of the footer (metadata, its length, the magic) of an object of `size` bytes. */
export async function footerSpan(s3: S3Client, bucket: string, key: string, size: number): Promise<ByteSpan> {
  if (size < MAGIC.length + TAIL_BYTES) throw notParquet(bucket, key, `only ${size} bytes`);
  const tail = await readRange(s3, bucket, key, { start: size - TAIL_BYTES, end: size });
  if (tail.subarray(4).toString('latin1') !== MAGIC)
    throw notParquet(bucket, key, 'no PAR1 magic at its end');
  const length = tail.readUInt32LE(0);
  if (length + TAIL_BYTES + MAGIC.length > size)
    throw notParquet(bucket, key, `footer length ${length} exceeds the file`);
  return { start: size - TAIL_BYTES - length, end: size };
}

/** Creates `path` as a sparse file of `size` bytes holding only the given spans of the object. */
export async function downloadSpans(
  s3: S3Client,
  bucket: string,
  key: string,
  size: number,
  spans: readonly ByteSpan[],
  path: string,
): Promise<void> {
  const file = await open(path, 'w');
  try {
    await file.truncate(size);
    await file.write(Buffer.from(MAGIC, 'latin1'), 0, MAGIC.length, 0);
  } finally {
    await file.close();
  }
  for (const span of spans) {
    if (span.end <= span.start) continue;
    await pipeline(
      await getRange(s3, bucket, key, span),
      createWriteStream(path, { flags: 'r+', start: span.start }),
    ).catch((error: unknown) => {
      throw classifyAwsError(error, `reading ${formatS3Uri(bucket, key)}`);
    });
  }
}
