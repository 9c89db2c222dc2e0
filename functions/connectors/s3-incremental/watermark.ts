/**
 * The S3 last-modified watermark: the latest LastModified a successful run
 * read, with the keys read at exactly that instant. LastModified has one-
 * second resolution, so an object written in the same second as the newest
 * one read, but listed only by the next run, is told apart by its key: it is
 * read then, and the ones already read are not read twice.
 */
import { z } from 'zod';
import type { S3ObjectSummary } from '../../../shared/aws/s3-objects.ts';
import { ConfigError } from '../../../shared/errors.ts';

/** The `column` of an S3 watermark: no table column, the objects' LastModified. */
export const S3_WATERMARK_COLUMN = '$s3_last_modified';
export const S3_WATERMARK_TYPE = 'S3_LAST_MODIFIED';

const MarkSchema = z.strictObject({ at: z.iso.datetime(), keys: z.array(z.string()) });
export type S3Mark = z.output<typeof MarkSchema>;

export function parseMark(value: string, where: string): S3Mark {
  try {
    return MarkSchema.parse(JSON.parse(value));
  } catch {
    throw new ConfigError(
      `the saved watermark of ${where} is not an S3 last-modified watermark: ${value.slice(0, 100)}`,
    );
  }
}

function time(object: S3ObjectSummary): number {
  if (object.lastModified === undefined)
    throw new ConfigError(`the listing gave no LastModified for ${object.key}`);
  return object.lastModified.getTime();
}

/** The objects after `mark` (all when there is none). */
export function newObjects(objects: readonly S3ObjectSummary[], mark: S3Mark | undefined): S3ObjectSummary[] {
  if (mark === undefined) return [...objects];
  const at = Date.parse(mark.at);
  const read = new Set(mark.keys);
  return objects.filter((object) => time(object) > at || (time(object) === at && !read.has(object.key)));
}

/** The mark after reading `objects` (non-empty) on top of `previous`. */
export function advanceMark(objects: readonly S3ObjectSummary[], previous: S3Mark | undefined): S3Mark {
  const latest = Math.max(...objects.map(time));
  const keys = objects.filter((object) => time(object) === latest).map((object) => object.key);
  const carried = previous !== undefined && Date.parse(previous.at) === latest ? previous.keys : [];
  return { at: new Date(latest).toISOString(), keys: [...new Set([...carried, ...keys])].sort() };
}
