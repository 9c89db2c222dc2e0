import { createHmac } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { passesLuhn, redactPii } from '../../../../../functions/transforms/mask/detect.ts';
import { createMaskKernel } from '../../../../../functions/transforms/mask/kernel.ts';
import { DEFAULTS, maskModule } from '../../../../../functions/transforms/mask/module.ts';
import { sqlString } from '../../../../../shared/duckdb/sql.ts';
import { ConfigError } from '../../../../../shared/errors.ts';
import { withInput } from '../harness.ts';

const FIXTURE = fileURLToPath(new URL('../../../../fixtures/mask/directors-pii.csv', import.meta.url));
const DIRECTORS = `SELECT * FROM read_csv(${sqlString(FIXTURE)}, all_varchar = true)`;
const KEY = 'k3y-for-tests-0123456789abcdef';
const kernel = createMaskKernel(async (name) => {
  if (name !== 'pii-key') throw new ConfigError(`mask: secret "${name}" is not set`);
  return KEY;
});
const config = (columns: unknown[]) => maskModule.configSchema.parse({ columns });
const detectAll = { kinds: [...DEFAULTS.kinds], tokens: DEFAULTS.tokens, country: 'US' };

describe('passesLuhn', () => {
  it('accepts card numbers and refuses one changed digit', () => {
    expect(passesLuhn('4111111111111111')).toBe(true);
    expect(passesLuhn('5500000000000004')).toBe(true);
    expect(passesLuhn('4111111111111112')).toBe(false);
  });
});

describe('redactPii', () => {
  it('replaces emails, Luhn-valid cards and phone numbers with tokens', () => {
    const text = 'Mail ann.lee@studio.example.com, card 4111-1111-1111-1111, call (415) 555-0123 today';

    expect(redactPii(text, detectAll)).toBe('Mail [EMAIL], card [CARD], call [PHONE] today');
  });

  it('leaves digit runs that fail Luhn, dates and short ids alone', () => {
    const text = 'order 4111111111111112 shipped 1998-06-12, ticket 12345';

    expect(redactPii(text, detectAll)).toBe(text);
  });

  it('detects only the kinds asked for', () => {
    const text = 'a@b.example.org or +1 212-555-0100';

    expect(redactPii(text, { ...detectAll, kinds: ['email'] })).toBe('[EMAIL] or +1 212-555-0100');
  });
});

describe('maskKernel', () => {
  it('hashes with HMAC-SHA256 under the secret key, redacts, masks partially and detects in free text', async () => {
    await withInput(DIRECTORS, async (table) => {
      const originals = await table.rows('SELECT email, card, notes FROM input');

      const rows = await table.transform(
        kernel,
        config([
          { column: 'email', method: 'hash', secret: 'pii-key' },
          { column: 'Director', method: 'redact' },
          { column: 'card', method: 'partial', keep_last: 4 },
          { column: 'notes', method: 'detect' },
        ]),
      );

      expect(rows).toHaveLength(originals.length);
      expect(rows.length).toBe(600);
      for (const [index, row] of rows.entries()) {
        const original = originals[index] as { email: string; card: string; notes: string };
        expect(row.email).toBe(createHmac('sha256', KEY).update(original.email).digest('hex'));
        expect(row.Director).toBe('[REDACTED]');
        expect(row.card).toBe(`${'*'.repeat(12)}${original.card.slice(-4)}`);
        expect(row.notes).not.toContain(original.email);
        expect(row.notes).toMatch(/\[EMAIL\]/);
        expect(row.notes).toMatch(/\[CARD\]/);
        expect(row.notes).toMatch(/\[PHONE\]/);
      }
    });
  });

  it('keeps NULLs, masks short values whole and passes other columns through', async () => {
    const input = `SELECT * FROM (VALUES ('12', 'x', 7), (NULL, NULL, 8)) AS t(code, secret_note, n)`;
    await withInput(input, async (table) => {
      const rows = await table.transform(
        kernel,
        config([
          { column: 'code', method: 'partial', keep_last: 4, mask_char: '#' },
          { column: 'secret_note', method: 'redact', replacement: 'gone' },
        ]),
      );

      expect(rows).toStrictEqual([
        { code: '##', secret_note: 'gone', n: 7 },
        { code: null, secret_note: null, n: 8 },
      ]);
    });
  });

  it('never writes the key into the SQL it returns', async () => {
    await withInput(DIRECTORS, async (table) => {
      const query = await kernel({
        connection: table.connection,
        inputColumns: table.inputColumns,
        config: config([{ column: 'email', method: 'hash', secret: 'pii-key' }]),
      });

      expect(query).not.toContain(KEY);
    });
  });

  it('fails when the secret is missing or a column is unknown', async () => {
    await withInput(DIRECTORS, async (table) => {
      await expect(
        table.transform(kernel, config([{ column: 'email', method: 'hash', secret: 'other' }])),
      ).rejects.toThrow(/secret "other" is not set/);
      await expect(table.transform(kernel, config([{ column: 'mail', method: 'redact' }]))).rejects.toThrow(
        /mask: columns\[0\]\.column names column "mail", which the input does not have/,
      );
    });
  });
});

describe('maskModule', () => {
  it('fails when a column is masked twice, pointing at the second rule', async () => {
    const parsed = config([
      { column: 'email', method: 'redact' },
      { column: 'EMAIL', method: 'partial' },
    ]);

    expect(await maskModule.checkConfig?.(parsed)).toStrictEqual([
      { path: ['columns', 1, 'column'], message: 'column "EMAIL" is already masked by rule 0' },
    ]);
  });

  it('fails on a hash rule without a secret name', () => {
    const result = maskModule.configSchema.safeParse({ columns: [{ column: 'email', method: 'hash' }] });

    expect(result.success).toBe(false);
  });
});
