/** Config of the `s3-xlsx` extractor: one sheet of each workbook, a header row naming the columns. */
import { z } from 'zod';
import { recordFileFields } from '../record-files/config.ts';

export const S3_XLSX_DEFAULTS = {
  header_row: 1,
};

export const S3XlsxConfigSchema = z.strictObject({
  ...recordFileFields,
  sheet: z
    .union([z.string().min(1), z.int().min(1)])
    .optional()
    .describe('Sheet name, or its 1-based position; default: the first sheet'),
  header_row: z
    .int()
    .min(1)
    .default(S3_XLSX_DEFAULTS.header_row)
    .describe('Row holding the column names; data starts below it'),
});
export type S3XlsxConfig = z.output<typeof S3XlsxConfigSchema>;
