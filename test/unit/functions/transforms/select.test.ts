import { describe, expect, it } from 'vitest';
import { selectKernel } from '../../../../functions/transforms/select/kernel.ts';
import { selectModule } from '../../../../functions/transforms/select/module.ts';
import { ConfigError } from '../../../../shared/errors.ts';
import { BIRDSTRIKES, withInput, ZIPCODES } from './harness.ts';

const config = (raw: Record<string, unknown>) => selectModule.configSchema.parse(raw);

describe('selectKernel', () => {
  it('keeps the listed columns in the listed order, renamed and cast', async () => {
    await withInput(BIRDSTRIKES, async (table) => {
      const selection = config({
        columns: ['Flight Date', 'Cost Total $', 'Airport Name'],
        rename: { 'Cost Total $': 'cost_total', 'Airport Name': 'airport' },
        cast: { 'Flight Date': 'VARCHAR', 'Cost Total $': 'DECIMAL(12,2)' },
      });

      const columns = await table.outputColumns(selectKernel, selection);
      const rows = await table.transform(selectKernel, selection);

      expect(columns).toStrictEqual([
        { name: 'Flight Date', type: 'VARCHAR' },
        { name: 'cost_total', type: 'DECIMAL(12,2)' },
        { name: 'airport', type: 'VARCHAR' },
      ]);
      const expected = await table.rows(
        `SELECT CAST("Flight Date" AS VARCHAR) AS "Flight Date", CAST("Cost Total $" AS DECIMAL(12,2)) AS cost_total,
           "Airport Name" AS airport FROM input`,
      );
      expect(rows).toStrictEqual(expected);
    });
  });

  it('keeps every column by default, renaming in place', async () => {
    await withInput(BIRDSTRIKES, async (table) => {
      const columns = await table.outputColumns(
        selectKernel,
        config({ rename: { 'Origin State': 'state' } }),
      );

      expect(columns.map((column) => column.name)).toStrictEqual(
        table.inputColumns.map((column) => (column.name === 'Origin State' ? 'state' : column.name)),
      );
    });
  });

  it('keeps the leading zeros of zip codes read as text, casting coordinates to numbers', async () => {
    await withInput(ZIPCODES, async (table) => {
      const rows = await table.transform(
        selectKernel,
        config({
          columns: ['zip_code', 'latitude'],
          rename: { zip_code: 'zip' },
          cast: { latitude: 'DOUBLE' },
        }),
      );

      expect(rows[0]).toStrictEqual({ zip: '00501', latitude: 40.922326 });
      const [expected] = await table.rows(`SELECT count(*) AS n FROM input WHERE zip_code LIKE '0%'`);
      expect(rows.filter((row) => String(row.zip).startsWith('0'))).toHaveLength(Number(expected?.n));
    });
  });

  it('fails when a value does not convert, rather than turning it into NULL', async () => {
    await withInput(ZIPCODES, async (table) => {
      await expect(
        table.transform(selectKernel, config({ columns: ['city'], cast: { city: 'INTEGER' } })),
      ).rejects.toThrow(/Conversion Error/);
    });
  });

  it('fails when a config field names a column the chunk does not have', async () => {
    await withInput(BIRDSTRIKES, async (table) => {
      const run = table.transform(selectKernel, config({ columns: ['Airport Name', 'Cost Total'] }));

      await expect(run).rejects.toThrow(ConfigError);
      await expect(run).rejects.toThrow(
        /select: columns names column "Cost Total", which the input does not have; available columns: .*"Cost Total \$"/,
      );
    });
  });

  it('fails when rename or cast names a column that is not selected', async () => {
    await withInput(BIRDSTRIKES, async (table) => {
      await expect(
        table.transform(
          selectKernel,
          config({ columns: ['Airport Name'], cast: { 'Flight Date': 'VARCHAR' } }),
        ),
      ).rejects.toThrow('select: cast names column "Flight Date", which is not selected');
    });
  });

  it('fails when two output columns would share a name', async () => {
    await withInput(BIRDSTRIKES, async (table) => {
      await expect(
        table.transform(selectKernel, config({ rename: { 'Cost Other': 'cost', 'Cost Repair': 'COST' } })),
      ).rejects.toThrow('select: the output would have two columns named "COST"');
    });
  });
});

describe('selectModule', () => {
  it('is a chunk-local transformer', () => {
    expect(selectModule).toMatchObject({ name: 'select', kind: 'transformer', chunkLocal: true });
  });

  it('fails when a cast type does not exist or smuggles SQL, pointing at its column', async () => {
    const issues = await selectModule.checkConfig?.(
      config({ cast: { 'Flight Date': 'DATE', 'Cost Total $': 'MONEY', zip: `INT), (SELECT 1` } }),
    );

    expect(issues).toStrictEqual([
      { path: ['cast', 'Cost Total $'], message: 'Type with name MONEY does not exist!' },
      { path: ['cast', 'zip'], message: 'must be a single DuckDB type name' },
    ]);
  });
});
