/** Config of the `s3-xml` extractor: a repeated element of each document becomes the rows. */
import { z } from 'zod';
import { recordFileFields } from '../record-files/config.ts';

export const S3_XML_DEFAULTS = {
  attribute_prefix: '@',
};

export const S3XmlConfigSchema = z.strictObject({
  ...recordFileFields,
  record_path: z
    .string()
    .regex(/^[^.\s]+(\.[^.\s]+)*$/, 'use element names separated by dots, e.g. "catalog.book"')
    .describe('Dotted path from the root element to the repeated element, e.g. "catalog.book"'),
  attribute_prefix: z
    .string()
    .default(S3_XML_DEFAULTS.attribute_prefix)
    .describe('Prefix of columns made from attributes, e.g. "@id"'),
});
export type S3XmlConfig = z.output<typeof S3XmlConfigSchema>;
