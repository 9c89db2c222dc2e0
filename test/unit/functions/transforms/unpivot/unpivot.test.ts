import { describe, expect, it } from 'vitest';
import { unpivotKernel } from '../../../../../functions/transforms/unpivot/kernel.ts';
import { unpivotModule } from '../../../../../functions/transforms/unpivot/module.ts';
import { BIRDSTRIKES, type InputTable, withInput } from '../harness.ts';

const parse = (config: unknown) => unpivotModule.configSchema.parse(config);
const plan = (table: InputTable, config: unknown) =>
  unpivotKernel({ config: parse(config), connection: table.connection, inputColumns: table.inputColumns });

describe('unpivotKernel', () => {
  it('gives one row per non-NULL cost, the other columns repeated', async () => {
    await withInput(BIRDSTRIKES, async (table) => {
      const { query } = await plan(table, {
        columns: ['Cost Other', 'Cost Repair'],
        name_column: 'cost',
        value_column: 'amount',
      });

      const [counts] = await table.rows(
        `SELECT count(*) AS n, count(*) FILTER (WHERE cost = 'Cost Repair') AS repairs,
                count(DISTINCT "Airport Name") AS airports FROM (${query})`,
      );
      const [oracle] = await table.rows(
        `SELECT count("Cost Other") + count("Cost Repair") AS n, count("Cost Repair") AS repairs,
                count(DISTINCT "Airport Name") AS airports FROM input`,
      );

      expect(counts).toStrictEqual(oracle);
      expect(Number(counts?.n)).toBeGreaterThan(10_000);
    });
  });

  it('counts as filtered only the rows left with no value, and keeps NULLs when asked', async () => {
    await withInput(
      `SELECT * FROM (VALUES ('a', 1, NULL), ('b', NULL, NULL)) AS t(k, x, y)`,
      async (table) => {
        const dropping = await plan(table, { columns: ['x', 'y'] });
        const keeping = await plan(table, { columns: ['x', 'y'], include_nulls: true });

        expect(await table.rows(dropping.query)).toStrictEqual([{ k: 'a', name: 'x', value: 1 }]);
        expect(await table.rows(dropping.droppedRows ?? '')).toStrictEqual([{ n: '1' }]);
        expect(await table.rows(keeping.query)).toHaveLength(4);
        expect(await table.rows(keeping.droppedRows ?? '')).toStrictEqual([{ n: 0 }]);
      },
    );
  });

  it('fails when the name column would overwrite a kept column', async () => {
    await withInput(BIRDSTRIKES, async (table) => {
      await expect(plan(table, { columns: ['Cost Other'], name_column: 'Airport Name' })).rejects.toThrow(
        'unpivot: name_column "Airport Name" is already an input column that is not unpivoted',
      );
    });
  });
});
