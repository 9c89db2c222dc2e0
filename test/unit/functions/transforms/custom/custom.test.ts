import { describe, expect, it } from 'vitest';
import { customKernel } from '../../../../../functions/transforms/custom/kernel.ts';
import { customModule } from '../../../../../functions/transforms/custom/module.ts';
import { BIRDSTRIKES, withInput } from '../harness.ts';

const parse = (config: unknown) => customModule.configSchema.parse(config);
const TITLE_CASE = 'functions/transforms/custom/examples/title-case';
// DuckDB's own title case of a space-separated text: the oracle the example is checked against.
const DUCKDB_TITLE_CASE = `array_to_string(list_transform(string_split(lower("Airport Name"), ' '), w -> upper(w[1]) || w[2:]), ' ')`;

describe('customKernel', () => {
  it('runs the title-case example over every airport name, other columns untouched', async () => {
    await withInput(BIRDSTRIKES, async (table) => {
      const config = parse({ function: TITLE_CASE, options: { column: 'Airport Name' } });
      const query = await customKernel({
        config,
        connection: table.connection,
        inputColumns: table.inputColumns,
      });

      const [diff] = await table.rows(
        `SELECT count(*) AS n FROM (SELECT "Airport Name", "Cost Total $" FROM (${query})
           EXCEPT ALL SELECT ${DUCKDB_TITLE_CASE}, "Cost Total $" FROM input)`,
      );
      const [sample] = await table.rows(`SELECT "Airport Name" FROM (${query}) LIMIT 1`);

      expect(diff?.n).toBe('0');
      expect(sample).toStrictEqual({ 'Airport Name': 'Barksdale Air Force Base Arpt' });
    });
  });

  it('hands integers, floats, booleans and text to Arrow and back, NULLs kept, other types as text', async () => {
    const input = `SELECT * FROM (VALUES (1::INTEGER, 2.5::DECIMAL(4,1), TRUE, 'a', DATE '1998-06-12'),
                                         (NULL, NULL, NULL, NULL, NULL)) AS t(i, d, b, s, day)`;
    await withInput(input, async (table) => {
      const config = parse({ function: 'functions/transforms/custom/template' });

      expect(await table.outputColumns(customKernel, config)).toStrictEqual([
        { name: 'i', type: 'BIGINT' },
        { name: 'd', type: 'DOUBLE' },
        { name: 'b', type: 'BOOLEAN' },
        { name: 's', type: 'VARCHAR' },
        { name: 'day', type: 'VARCHAR' },
      ]);
      expect(await table.transform(customKernel, config)).toStrictEqual([
        { i: '1', d: 2.5, b: true, s: 'a', day: '1998-06-12' },
        { i: null, d: null, b: null, s: null, day: null },
      ]);
    });
  });

  it('fails with the folder named when it exports no transform, or when the function throws', async () => {
    await withInput(BIRDSTRIKES, async (table) => {
      await expect(
        table.transform(customKernel, parse({ function: 'test/fixtures/custom/no-export' })),
      ).rejects.toThrow(
        'custom: test/fixtures/custom/no-export/index.ts does not export a function named transform',
      );
      await expect(
        table.transform(customKernel, parse({ function: TITLE_CASE, options: { column: 'Wingspan' } })),
      ).rejects.toThrow(
        `custom function ${TITLE_CASE} failed: title-case: the chunk has no column "Wingspan"`,
      );
    });
  });
});

describe('customModule.checkConfig', () => {
  it('fails on a folder outside the functions folder', async () => {
    expect(await customModule.checkConfig?.(parse({ function: '../elsewhere' }))).toStrictEqual([
      { path: ['function'], message: 'must stay inside the custom functions folder' },
    ]);
    expect(await customModule.checkConfig?.(parse({ function: '/etc' }))).toStrictEqual([
      { path: ['function'], message: 'must be relative to the custom functions folder' },
    ]);
  });
});
