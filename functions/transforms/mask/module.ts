/** `mask`: hides personal data column by column: keyed hash, redaction, partial masking, detection in free text. */
import { z } from 'zod';
import { ConnectionNameSchema } from '../../../shared/connections/connection.ts';
import { DEFAULT_LAMBDA_SIZING, defineModule } from '../../../shared/modules/types.ts';
import { PII_KINDS } from './detect.ts';
import { maskLineage } from './lineage.ts';

export const DEFAULTS = {
  replacement: '[REDACTED]',
  keepLast: 4,
  maskChar: '*',
  kinds: [...PII_KINDS],
  tokens: { email: '[EMAIL]', phone: '[PHONE]', card: '[CARD]' },
  country: 'US',
} as const;

/** Shorter keys make the hash guessable by brute force over likely values. */
export const MIN_KEY_LENGTH = 16;

const column = z.string().min(1).describe('The column to mask, replaced in place by text.');

export const MaskRuleSchema = z.discriminatedUnion('method', [
  z.strictObject({
    column,
    method: z
      .literal('hash')
      .describe('HMAC-SHA256 of the value as text, in hex: equal values stay equal, so joins still work'),
    secret: ConnectionNameSchema.describe(
      `Name of the secret holding the HMAC key (at least ${MIN_KEY_LENGTH} characters), stored like a connection secret; never the key itself`,
    ),
  }),
  z.strictObject({
    column,
    method: z.literal('redact').describe('every non-NULL value becomes the replacement'),
    replacement: z.string().default(DEFAULTS.replacement),
  }),
  z.strictObject({
    column,
    method: z.literal('partial').describe('keeps the last characters, masks the rest (all of a short value)'),
    keep_last: z.int().min(0).max(32).default(DEFAULTS.keepLast),
    mask_char: z.string().length(1).default(DEFAULTS.maskChar),
  }),
  z.strictObject({
    column,
    method: z
      .literal('detect')
      .describe(
        'finds emails, phone numbers and Luhn-valid card numbers in free text and replaces each with a token',
      ),
    kinds: z
      .array(z.enum(PII_KINDS))
      .min(1)
      .default([...DEFAULTS.kinds]),
    tokens: z
      .strictObject({
        email: z.string().default(DEFAULTS.tokens.email),
        phone: z.string().default(DEFAULTS.tokens.phone),
        card: z.string().default(DEFAULTS.tokens.card),
      })
      .default({ ...DEFAULTS.tokens }),
    country: z
      .string()
      .length(2)
      .default(DEFAULTS.country)
      .describe('ISO country for phone numbers written without a +prefix'),
  }),
]);

export type MaskRule = z.output<typeof MaskRuleSchema>;

export const MaskConfigSchema = z.strictObject({
  columns: z.array(MaskRuleSchema).min(1).describe('One rule per column; a column may be named once.'),
});

export type MaskConfig = z.output<typeof MaskConfigSchema>;

export const maskModule = defineModule({
  name: 'mask',
  kind: 'transformer',
  title: 'Mask personal data',
  description:
    'Masks columns in place: HMAC-SHA256 with a key from the secret store, redaction, partial masking (keep the last N characters), or detection of emails, phone numbers and Luhn-valid card numbers in free text.',
  configSchema: MaskConfigSchema,
  chunkLocal: true,
  checkConfig: async (config) => {
    const seen = new Map<string, number>();
    return config.columns.flatMap((rule, index) => {
      const key = rule.column.toLowerCase();
      const first = seen.get(key);
      seen.set(key, first ?? index);
      return first === undefined
        ? []
        : [
            {
              path: ['columns', index, 'column'],
              message: `column "${rule.column}" is already masked by rule ${first}`,
            },
          ];
    });
  },
  lineage: maskLineage,
  lambda: DEFAULT_LAMBDA_SIZING,
});
