/** Config of the `s3-json-load` loader: newline-delimited JSON, one object per row. */
import { z } from 'zod';
import { s3LoadFields } from '../s3-load-common/config.ts';

export const S3JsonLoadConfigSchema = z.strictObject({ ...s3LoadFields });
export type S3JsonLoadConfig = z.output<typeof S3JsonLoadConfigSchema>;
