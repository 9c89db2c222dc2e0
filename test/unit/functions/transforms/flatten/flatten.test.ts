import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { flattenKernel } from '../../../../../functions/transforms/flatten/kernel.ts';
import { flattenModule } from '../../../../../functions/transforms/flatten/module.ts';
import { describeColumns } from '../../../../../shared/duckdb/parquet.ts';
import { sqlString } from '../../../../../shared/duckdb/sql.ts';
import { type InputTable, withInput } from '../harness.ts';

const FIXTURE = fileURLToPath(
  new URL('../../../../fixtures/flatten/zipcodes-by-state.ndjson', import.meta.url),
);
const NESTED = `SELECT * FROM read_json(${sqlString(FIXTURE)}, format = 'newline_delimited')`;
const plan = (table: InputTable, config: unknown) =>
  flattenKernel({
    config: flattenModule.configSchema.parse(config),
    connection: table.connection,
    inputColumns: table.inputColumns,
  });

describe('flattenKernel', () => {
  it('turns struct fields into columns and list elements into rows, all the way down', async () => {
    await withInput(NESTED, async (table) => {
      const { query } = await plan(table, {});

      const [counts] = await table.rows(
        `SELECT count(*) AS n, count(DISTINCT cities_zips) AS zips FROM (${query})`,
      );
      const [oracle] = await table.rows(
        'SELECT count(*) AS n, count(DISTINCT z) AS zips FROM (SELECT unnest(c.zips) AS z FROM (SELECT unnest(cities) AS c FROM input))',
      );

      expect(await describeColumns(table.connection, `(${query})`)).toStrictEqual([
        { name: 'state', type: 'VARCHAR' },
        { name: 'counties', type: 'BIGINT' },
        { name: 'cities_city', type: 'VARCHAR' },
        { name: 'cities_location_latitude', type: 'DOUBLE' },
        { name: 'cities_location_longitude', type: 'DOUBLE' },
        { name: 'cities_zips', type: 'VARCHAR' },
      ]);
      expect(counts).toStrictEqual({ n: oracle?.n, zips: oracle?.zips });
    });
  });

  it('keeps a row whose list is empty, or drops it and counts it as filtered when asked', async () => {
    const input = `SELECT * FROM (VALUES (1, [10, 20]), (2, [])) AS t(id, tags)`;
    await withInput(input, async (table) => {
      const keeping = await plan(table, {});
      const dropping = await plan(table, { keep_empty: false });

      expect(await table.rows(keeping.query)).toStrictEqual([
        { id: 1, tags: 10 },
        { id: 1, tags: 20 },
        { id: 2, tags: null },
      ]);
      expect(await table.rows(dropping.query)).toHaveLength(2);
      expect(await table.rows(dropping.droppedRows ?? '')).toStrictEqual([{ n: '1' }]);
    });
  });

  it('fails when a named column is not nested', async () => {
    await withInput(NESTED, async (table) => {
      await expect(plan(table, { columns: ['state'] })).rejects.toThrow(
        'flatten: column "state" is VARCHAR, not a STRUCT or a list',
      );
    });
  });
});
