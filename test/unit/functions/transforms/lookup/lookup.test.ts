import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createLookupKernel } from '../../../../../functions/transforms/lookup/kernel.ts';
import { lookupModule } from '../../../../../functions/transforms/lookup/module.ts';
import { sqlString } from '../../../../../shared/duckdb/sql.ts';
import { withInput, ZIPCODES } from '../harness.ts';

const WEATHER_PATH = fileURLToPath(
  new URL('../../../../../../shared/data/vega/weather.csv', import.meta.url),
);
const ZIPCODES_PATH = fileURLToPath(
  new URL('../../../../../../shared/data/vega/zipcodes.csv', import.meta.url),
);
// The reference is the real zip code list itself: a city appears under many zips, the first one wins.
const kernel = createLookupKernel(async () => ZIPCODES_PATH);
const parse = (config: unknown) =>
  lookupModule.configSchema.parse({ bucket: 'ref', key: 'zipcodes.csv', ...(config as object) });

describe('lookupKernel', () => {
  it('adds the first matching reference row to every input row, unmatched rows kept, input order kept', async () => {
    await withInput(`SELECT * FROM read_csv(${sqlString(WEATHER_PATH)})`, async (table) => {
      const config = parse({
        on: [{ column: 'location', reference: 'city' }],
        columns: ['state', 'zip_code'],
        prefix: 'ref_',
      });

      const rows = await table.transform(kernel, config);
      const input = await table.rows('SELECT location, date FROM input');

      expect(rows.map((row) => [row.location, row.date])).toStrictEqual(
        input.map((row) => [row.location, row.date]),
      );
      expect(
        new Set(rows.map((row) => `${row.location}:${row.ref_state}:${row.ref_zip_code}`)),
      ).toStrictEqual(new Set(['Seattle:WA:98101', 'New York:NY:10001']));
    });
  });

  it('keeps leading zeros of a key declared as text', async () => {
    await withInput(`SELECT * FROM (VALUES ('00501'), ('501')) AS t(zip)`, async (table) => {
      const config = parse({
        on: [{ column: 'zip', reference: 'zip_code' }],
        columns: ['city'],
        types: { zip_code: 'VARCHAR' },
      });

      expect(await table.transform(kernel, config)).toStrictEqual([
        { zip: '00501', city: 'Holtsville' },
        { zip: '501', city: null },
      ]);
    });
  });

  it('fails validation on a declared type DuckDB does not know', async () => {
    const config = parse({ on: [{ column: 'zip', reference: 'zip_code' }], types: { zip_code: 'TEXTISH' } });

    const issues = await lookupModule.checkConfig?.(config);

    expect(issues?.[0]?.path).toStrictEqual(['types', 'zip_code']);
    expect(issues?.[0]?.message).toMatch(/TEXTISH/);
  });

  it('leaves NULLs where no reference row matches', async () => {
    await withInput(`SELECT * FROM (VALUES ('Atlantis')) AS t(city)`, async (table) => {
      const rows = await table.transform(
        kernel,
        parse({ on: [{ column: 'city', reference: 'city' }], columns: ['state'] }),
      );

      expect(rows).toStrictEqual([{ city: 'Atlantis', state: null }]);
    });
  });

  it('fails when an added column would overwrite an input column', async () => {
    await withInput(ZIPCODES, async (table) => {
      await expect(
        table.transform(
          kernel,
          parse({ on: [{ column: 'zip_code', reference: 'zip_code' }], columns: ['city'] }),
        ),
      ).rejects.toThrow('lookup: reference column "city" is already an input column; set a prefix');
    });
  });
});
