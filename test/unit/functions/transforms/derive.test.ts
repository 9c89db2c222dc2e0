import { describe, expect, it } from 'vitest';
import { deriveKernel } from '../../../../functions/transforms/derive/kernel.ts';
import { deriveModule } from '../../../../functions/transforms/derive/module.ts';
import { BIRDSTRIKES, withInput } from './harness.ts';

type DerivedColumn = { name: string; expression: string };
const config = (...columns: DerivedColumn[]) => deriveModule.configSchema.parse({ columns });

describe('deriveKernel', () => {
  it('appends a new column computed from columns with spaces and $ in their names', async () => {
    await withInput(BIRDSTRIKES, async (table) => {
      const rows = await table.transform(
        deriveKernel,
        config({ name: 'cost check', expression: `"Cost Total $" - "Cost Repair" - "Cost Other"` }),
      );

      const expected = await table.rows(
        `SELECT *, "Cost Total $" - "Cost Repair" - "Cost Other" AS "cost check" FROM input`,
      );
      expect(rows).toStrictEqual(expected);
    });
  });

  it('replaces an existing column where it stands', async () => {
    await withInput(BIRDSTRIKES, async (table) => {
      const derived = config({ name: 'Origin State', expression: `upper("Origin State")` });

      const columns = await table.outputColumns(deriveKernel, derived);
      const rows = await table.transform(deriveKernel, derived);

      expect(columns).toStrictEqual(table.inputColumns);
      const expected = await table.rows(
        `SELECT * REPLACE (upper("Origin State") AS "Origin State") FROM input`,
      );
      expect(rows).toStrictEqual(expected);
    });
  });

  it('lets a later column use the ones derived before it', async () => {
    await withInput(BIRDSTRIKES, async (table) => {
      const rows = await table.transform(
        deriveKernel,
        config(
          { name: 'cost_k', expression: `"Cost Total $" / 1000` },
          { name: 'expensive', expression: 'cost_k >= 10' },
          { name: 'cost_k', expression: 'round(cost_k, 1)' },
        ),
      );

      const expected = await table.rows(
        `SELECT *, round("Cost Total $" / 1000, 1) AS cost_k, "Cost Total $" / 1000 >= 10 AS expensive FROM input`,
      );
      expect(rows).toStrictEqual(expected);
      expect(rows.some((row) => row.expensive === true)).toBe(true);
    });
  });

  it('fails when an expression names a column the chunk does not have', async () => {
    await withInput(BIRDSTRIKES, async (table) => {
      await expect(
        table.transform(deriveKernel, config({ name: 'x', expression: '"Total Cost" * 2' })),
      ).rejects.toThrow(/Referenced column "Total Cost" not found/);
    });
  });
});

describe('deriveModule', () => {
  it('is a chunk-local transformer', () => {
    expect(deriveModule).toMatchObject({ name: 'derive', kind: 'transformer', chunkLocal: true });
  });

  it('fails when an expression does not parse, pointing at its entry', async () => {
    const issues = await deriveModule.checkConfig?.(
      config(
        { name: 'a', expression: '1 + 1' },
        { name: 'b', expression: 'a +' },
        { name: 'c', expression: 'a FROM input' },
      ),
    );

    expect(issues).toStrictEqual([
      { path: ['columns', 1, 'expression'], message: 'syntax error at end of input' },
      { path: ['columns', 2, 'expression'], message: 'must be a single SQL expression, not a query' },
    ]);
  });

  it('fails when no column is derived', () => {
    expect(deriveModule.configSchema.safeParse({ columns: [] }).success).toBe(false);
  });
});
