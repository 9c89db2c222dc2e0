/** Config of the `s3-csv-load` loader: the S3 dataset fields plus the CSV dialect written. */
import { z } from 'zod';
import { s3LoadFields } from '../s3-load-common/config.ts';

export const S3_CSV_LOAD_DEFAULTS = {
  header: true,
  delimiter: ',',
  quote: '"',
  null_string: '',
};

const oneCharacter = z.string().length(1, 'must be exactly one character');

export const S3CsvLoadConfigSchema = z.strictObject({
  ...s3LoadFields,
  header: z.boolean().default(S3_CSV_LOAD_DEFAULTS.header).describe('Write a header line in every file'),
  delimiter: oneCharacter.default(S3_CSV_LOAD_DEFAULTS.delimiter).describe('Field separator'),
  quote: oneCharacter.default(S3_CSV_LOAD_DEFAULTS.quote).describe('Quote character (doubled inside quotes)'),
  null_string: z.string().default(S3_CSV_LOAD_DEFAULTS.null_string).describe('How NULL is written'),
});
export type S3CsvLoadConfig = z.output<typeof S3CsvLoadConfigSchema>;
