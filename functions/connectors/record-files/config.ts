/** Fields of file sources that are read whole, one chunk per file (Excel, XML). */
import { z } from 'zod';

export const RECORD_FILES_DEFAULTS = {
  prefix: '',
  allow_empty: false,
};

export const recordFileFields = {
  bucket: z.string().min(3).describe('Bucket holding the files'),
  prefix: z
    .string()
    .default(RECORD_FILES_DEFAULTS.prefix)
    .describe('Key prefix; every file under it is read'),
  pattern: z.string().optional().describe('Glob on the key after the prefix, e.g. "*.xlsx"'),
  allow_empty: z
    .boolean()
    .default(RECORD_FILES_DEFAULTS.allow_empty)
    .describe('Succeed with no rows when no file matches, instead of failing'),
};

export interface RecordFilesConfig {
  readonly bucket: string;
  readonly prefix: string;
  readonly pattern?: string | undefined;
  readonly allow_empty: boolean;
}
