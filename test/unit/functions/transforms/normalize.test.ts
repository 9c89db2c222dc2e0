import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { normalizeKernel } from '../../../../functions/transforms/normalize/kernel.ts';
import { normalizeModule } from '../../../../functions/transforms/normalize/module.ts';
import { toE164 } from '../../../../functions/transforms/normalize/phone.ts';
import { sqlString } from '../../../../shared/duckdb/sql.ts';
import { type InputTable, withInput } from './harness.ts';

const MOVIES_PATH = fileURLToPath(new URL('../../../../../shared/data/vega/movies.json', import.meta.url));
const MOVIES = `SELECT * FROM read_json(${sqlString(MOVIES_PATH)})`;

const config = (operations: unknown[]) => normalizeModule.configSchema.parse({ operations });

async function plan(table: InputTable, operations: unknown[]) {
  return normalizeKernel({
    connection: table.connection,
    inputColumns: table.inputColumns,
    config: config(operations),
  });
}

describe('normalizeKernel', () => {
  it('turns movie titles into strings and release dates into DATEs', async () => {
    await withInput(MOVIES, async (table) => {
      const { query, rejects } = await plan(table, [
        { column: 'Title', op: 'whitespace' },
        { column: 'Release Date', op: 'date', onInvalid: 'reject' },
      ]);

      const [row] = await table.rows(
        `SELECT count(*) AS n, count(*) FILTER (WHERE Title = '1776') AS numeric_title,
                count(*) FILTER (WHERE "Release Date" = DATE '1998-06-12' AND Title = 'The Land Girls') AS land_girls,
                any_value(typeof(Title)) AS title_type, any_value(typeof("Release Date")) AS date_type FROM (${query})`,
      );
      const [input] = await table.rows('SELECT count(*) AS n FROM input');
      const rejected = await table.rows(rejects ?? 'SELECT 1 WHERE FALSE');
      expect(row).toMatchObject({
        numeric_title: '1',
        land_girls: '1',
        title_type: 'VARCHAR',
        date_type: 'DATE',
      });
      expect(Number(row?.n) + rejected.length).toBe(Number(input?.n));
    });
  });

  it('rejects unparsable values with a reason, or makes them NULL', async () => {
    const input = `SELECT * FROM (VALUES ('Jun 12 1998', ' 1,234.50 $ '), ('12/31/1999', 'n/a'), ('someday', NULL), ('', '€7')) AS t(d, amount)`;
    await withInput(input, async (table) => {
      const { query, rejects } = await plan(table, [
        { column: 'd', op: 'date', onInvalid: 'reject' },
        { column: 'amount', op: 'number' },
      ]);

      const rows = await table.rows(query);
      const rejected = await table.rows(rejects ?? '');
      expect(rows).toStrictEqual([
        { d: '1998-06-12', amount: 1234.5 },
        { d: '1999-12-31', amount: null },
        { d: null, amount: 7 },
      ]);
      expect(rejected).toStrictEqual([
        {
          record: '3',
          column: 'd',
          error_type: 'normalize:date',
          reason: 'cannot normalize column "d" as date: value someday',
          raw: '{"d":"someday","amount":null}',
        },
      ]);
    });
  });

  it('normalizes emails, whitespace, NFC and phones to E.164', async () => {
    const input = `SELECT * FROM (VALUES ('  Ada@Example.COM ', 'a  b\tc', 'Cafe\u0301', '(415) 555-2671'), (NULL, ' x ', 'ok', 'not a phone')) AS t(email, note, name, phone)`;
    await withInput(input, async (table) => {
      const { query } = await plan(table, [
        { column: 'email', op: 'email' },
        { column: 'note', op: 'whitespace' },
        { column: 'name', op: 'nfc' },
        { column: 'phone', op: 'phone', country: 'US' },
      ]);

      const rows = await table.rows(query);

      expect(rows).toStrictEqual([
        { email: 'ada@example.com', note: 'a b c', name: 'Caf\u00e9', phone: '+14155552671' },
        { email: null, note: 'x', name: 'ok', phone: null },
      ]);
    });
  });
});

describe('toE164', () => {
  it('uses the default country only for numbers without a prefix', () => {
    expect(toE164('020 7946 0958', 'GB')).toBe('+442079460958');
    expect(toE164('+1 415 555 2671', 'GB')).toBe('+14155552671');
    expect(toE164('12', 'US')).toBeNull();
  });
});
