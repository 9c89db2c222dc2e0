/** `s3://bucket/key` addresses, as chunk refs and loaders report them. */
import { ConfigError } from '../errors.ts';

export interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

export function parseS3Uri(uri: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match?.[1]) throw new ConfigError(`not an S3 URI (expected s3://bucket/key): ${uri}`);
  return { bucket: match[1], key: match[2] ?? '' };
}

export function formatS3Uri(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}
