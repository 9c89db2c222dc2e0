import { describe, expect, it } from 'vitest';
import { cleanKernel } from '../../../../functions/transforms/clean/kernel.ts';
import { cleanModule } from '../../../../functions/transforms/clean/module.ts';
import { ConfigError } from '../../../../shared/errors.ts';
import { BIRDSTRIKES, withInput, ZIPCODES } from './harness.ts';

const config = (raw: Record<string, unknown>) => cleanModule.configSchema.parse(raw);

// Untidy text next to a number column, the way spreadsheets export it.
const MESSY = `SELECT * FROM (VALUES
  (1, '  Holtsville ', 'ny', ' NA '),
  (2, e'\\tAgawam\\r', 'Ma', 'N/A'),
  (3, 'Boston', 'MA', ''),
  (4, '   ', 'ma', 'na')
) AS t(id, city, state, county)`;

/** The first row of each key, in input order: the dedup contract computed without SQL. */
function firstPerKey(rows: readonly Record<string, unknown>[], keys: readonly string[]) {
  const seen = new Set<string>();
  return rows.filter((row) => {
    const key = JSON.stringify(keys.map((name) => row[name]));
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

describe('cleanKernel', () => {
  it('trims every text column when trim is true, leaving numbers alone', async () => {
    await withInput(MESSY, async (table) => {
      const rows = await table.transform(cleanKernel, config({ trim: true }));

      expect(rows.map((row) => [row.id, row.city])).toStrictEqual([
        [1, 'Holtsville'],
        [2, 'Agawam'],
        [3, 'Boston'],
        [4, ''],
      ]);
      expect(rows[0]?.county).toBe('NA');
    });
  });

  it('trims only the listed columns', async () => {
    await withInput(MESSY, async (table) => {
      const rows = await table.transform(cleanKernel, config({ trim: ['city'] }));

      expect(rows[0]).toStrictEqual({ id: 1, city: 'Holtsville', state: 'ny', county: ' NA ' });
    });
  });

  it('turns null tokens into NULL, matched as written and ignoring surrounding whitespace', async () => {
    await withInput(MESSY, async (table) => {
      const rows = await table.transform(cleanKernel, config({ null_tokens: ['', 'NA', 'N/A'] }));

      expect(rows.map((row) => row.county)).toStrictEqual([null, null, null, 'na']);
      expect(rows.map((row) => row.city)).toStrictEqual(['  Holtsville ', '\tAgawam\r', 'Boston', null]);
    });
  });

  it('converts case after trimming, so dedup sees the cleaned values', async () => {
    await withInput(MESSY, async (table) => {
      const rows = await table.transform(
        cleanKernel,
        config({ trim: true, case: { state: 'upper', city: 'lower' }, dedup_by: ['state'] }),
      );

      expect(rows).toStrictEqual([
        { id: 1, city: 'holtsville', state: 'NY', county: 'NA' },
        { id: 2, city: 'agawam', state: 'MA', county: 'N/A' },
      ]);
    });
  });

  it('keeps the first zip code of each city and state, in input order, with leading zeros', async () => {
    await withInput(ZIPCODES, async (table) => {
      const rows = await table.transform(cleanKernel, config({ trim: true, dedup_by: ['city', 'state'] }));

      const input = await table.rows('SELECT * FROM input');
      const expected = firstPerKey(input, ['city', 'state']);
      expect(rows.length).toBeLessThan(input.length);
      expect(rows).toStrictEqual(expected);
      expect(rows[0]).toMatchObject({ zip_code: '00501', city: 'Holtsville', state: 'NY' });
    });
  });

  it('keeps the first birdstrike per airport, matching names case-insensitively like DuckDB', async () => {
    await withInput(BIRDSTRIKES, async (table) => {
      const rows = await table.transform(cleanKernel, config({ dedup_by: ['airport name'] }));

      const expected = firstPerKey(await table.rows('SELECT * FROM input'), ['Airport Name']);
      expect(rows).toHaveLength(50);
      expect(rows).toStrictEqual(expected);
    });
  });

  it('keeps an input column that happens to share the name of its bookkeeping column', async () => {
    const input = `SELECT * FROM (VALUES (1, 'a'), (2, 'a'), (3, 'b')) AS t(etl_input_row, key)`;
    await withInput(input, async (table) => {
      const rows = await table.transform(cleanKernel, config({ dedup_by: ['key'] }));

      expect(rows).toStrictEqual([
        { etl_input_row: 1, key: 'a' },
        { etl_input_row: 3, key: 'b' },
      ]);
    });
  });

  it('fails when a config field names a column the chunk does not have', async () => {
    await withInput(BIRDSTRIKES, async (table) => {
      const run = table.transform(cleanKernel, config({ dedup_by: ['Airport'] }));

      await expect(run).rejects.toThrow(ConfigError);
      await expect(run).rejects.toThrow(
        /clean: dedup_by names column "Airport", which the input does not have; available columns: "Airport Name", /,
      );
    });
  });

  it('fails when case names a column that is not text', async () => {
    await withInput(BIRDSTRIKES, async (table) => {
      await expect(
        table.transform(cleanKernel, config({ case: { 'Cost Total $': 'upper' } })),
      ).rejects.toThrow(
        'clean: case.Cost Total $ names column "Cost Total $" of type BIGINT; it applies to text (VARCHAR) columns only',
      );
    });
  });
});

describe('cleanModule', () => {
  it('is a chunk-local transformer that changes nothing by default', async () => {
    expect(cleanModule).toMatchObject({ name: 'clean', kind: 'transformer', chunkLocal: true });
    await withInput(MESSY, async (table) => {
      expect(await table.transform(cleanKernel, config({}))).toStrictEqual(
        await table.rows('SELECT * FROM input'),
      );
    });
  });

  it('fails when case asks for something other than lower or upper', () => {
    expect(cleanModule.configSchema.safeParse({ case: { city: 'title' } }).success).toBe(false);
  });
});
