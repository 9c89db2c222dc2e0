/** Finding a file source's objects: everything under a prefix, optionally narrowed by a glob on the name. */
import type { S3Client } from '@aws-sdk/client-s3';
import { listObjects, type S3ObjectSummary } from '../aws/s3-objects.ts';
import { formatS3Uri } from '../aws/s3-uri.ts';
import { SourceNotFoundError } from '../errors.ts';

/** `*` matches within one path segment, `**` across segments, `?` one character. */
export function globToRegExp(glob: string): RegExp {
  let pattern = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] as string;
    if (glob.startsWith('**/', i)) {
      // `**/` matches zero or more folders, so `**/*.csv` also finds `a.csv`.
      pattern += '(?:.*/)?';
      i += 2;
    } else if (char === '*' && glob[i + 1] === '*') {
      pattern += '.*';
      i++;
    } else if (char === '*') pattern += '[^/]*';
    else if (char === '?') pattern += '[^/]';
    else pattern += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${pattern}$`);
}

export interface SourceFilesOptions {
  readonly bucket: string;
  readonly prefix: string;
  /** Glob on the key after the prefix, e.g. `*.csv` or `**\/*.json`. */
  readonly pattern?: string;
  /** Fail when nothing matches (the default): an empty source is usually a mistake. */
  readonly allowEmpty: boolean;
}

export async function listSourceFiles(s3: S3Client, options: SourceFilesOptions): Promise<S3ObjectSummary[]> {
  const matcher = options.pattern ? globToRegExp(options.pattern) : undefined;
  const objects = await listObjects(s3, options.bucket, options.prefix);
  const files = objects.filter(
    (object) =>
      !object.key.endsWith('/') &&
      object.size > 0 &&
      (matcher === undefined || matcher.test(object.key.slice(options.prefix.length))),
  );
  if (files.length === 0 && !options.allowEmpty) {
    const where = formatS3Uri(options.bucket, options.prefix);
    const filter = options.pattern ? ` matching ${JSON.stringify(options.pattern)}` : '';
    throw new SourceNotFoundError(
      `no files${filter} under ${where} (${objects.length} objects listed); set allow_empty: true if an empty source is expected`,
    );
  }
  return files;
}
