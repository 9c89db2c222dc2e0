/** `normalize`: puts column values into one canonical form (emails, phones, dates, numbers, text). */
import { z } from 'zod';
import { DEFAULT_LAMBDA_SIZING, defineModule } from '../../../shared/modules/types.ts';
import { normalizeLineage } from './lineage.ts';

export const DEFAULTS = {
  onInvalid: 'null',
  country: 'US',
  dateFormats: [
    '%Y-%m-%d',
    '%b %d %Y',
    '%B %d %Y',
    '%B %d, %Y',
    '%d %b %Y',
    '%m/%d/%Y',
    '%d.%m.%Y',
    '%Y/%m/%d',
  ],
  timestampFormats: [
    '%Y-%m-%d %H:%M:%S',
    '%Y-%m-%dT%H:%M:%S',
    '%Y-%m-%dT%H:%M:%SZ',
    '%m/%d/%Y %H:%M',
    '%b %d %Y %H:%M',
  ],
  decimalSeparator: '.',
} as const;

const onInvalid = z
  .enum(['null', 'reject'])
  .default(DEFAULTS.onInvalid)
  .describe('What an unparsable value becomes: NULL, or the row goes to the rejects file with a reason.');

const column = z.string().min(1).describe('The column to normalize, replaced in place.');

export const OperationSchema = z.discriminatedUnion('op', [
  z.strictObject({ column, op: z.literal('email').describe('trim and lower-case') }),
  z.strictObject({
    column,
    op: z.literal('whitespace').describe('as text; runs of whitespace become one space, trimmed'),
  }),
  z.strictObject({
    column,
    op: z.literal('text').describe('as text (numbers and JSON values become strings)'),
  }),
  z.strictObject({ column, op: z.literal('nfc').describe('Unicode NFC normalization') }),
  z.strictObject({
    column,
    op: z.literal('phone').describe('E.164 (+14155550123) with libphonenumber-js'),
    country: z
      .string()
      .length(2)
      .default(DEFAULTS.country)
      .describe('ISO country for numbers without a +prefix'),
    onInvalid,
  }),
  z.strictObject({
    column,
    op: z.literal('date').describe('a DATE, from the first strptime format that parses'),
    formats: z
      .array(z.string().min(1))
      .min(1)
      .default([...DEFAULTS.dateFormats]),
    onInvalid,
  }),
  z.strictObject({
    column,
    op: z.literal('timestamp').describe('a TIMESTAMP, from the first strptime format that parses'),
    formats: z
      .array(z.string().min(1))
      .min(1)
      .default([...DEFAULTS.timestampFormats]),
    onInvalid,
  }),
  z.strictObject({
    column,
    op: z
      .literal('number')
      .describe('a DOUBLE from text, ignoring currency signs, spaces and thousands separators'),
    decimalSeparator: z.enum(['.', ',']).default(DEFAULTS.decimalSeparator),
    onInvalid,
  }),
]);

export type NormalizeOperation = z.output<typeof OperationSchema>;

export const NormalizeConfigSchema = z.strictObject({
  operations: z
    .array(OperationSchema)
    .min(1)
    .describe('Applied in order; several operations on one column compose (e.g. whitespace then nfc).'),
});

export type NormalizeConfig = z.output<typeof NormalizeConfigSchema>;

export const normalizeModule = defineModule({
  name: 'normalize',
  kind: 'transformer',
  title: 'Normalize values',
  description:
    'Normalizes columns in place: email, phone (E.164), date/timestamp from several formats, numbers stored as text, whitespace, Unicode NFC. Unparsable values become NULL or are rejected.',
  configSchema: NormalizeConfigSchema,
  chunkLocal: true,
  lineage: normalizeLineage,
  lambda: DEFAULT_LAMBDA_SIZING,
});
