/** The `mode` field of S3 file sources: every file, or only files new since the last successful run. */
import { z } from 'zod';

export const S3_INCREMENTAL_DEFAULTS = {
  mode: 'full' as 'full' | 'incremental',
};

export const S3ModeSchema = z
  .enum(['full', 'incremental'])
  .default(S3_INCREMENTAL_DEFAULTS.mode)
  .describe(
    '`incremental` reads only objects last modified after those the last successful run read (an S3 last-modified watermark, saved when the run succeeds)',
  );

export interface S3IncrementalConfig {
  readonly mode: 'full' | 'incremental';
}
