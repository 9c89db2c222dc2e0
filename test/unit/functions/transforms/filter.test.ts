import { describe, expect, it } from 'vitest';
import { filterKernel } from '../../../../functions/transforms/filter/kernel.ts';
import { filterModule } from '../../../../functions/transforms/filter/module.ts';
import { setParameterVariables } from '../../../../shared/duckdb/engine.ts';
import { BIRDSTRIKES, withInput } from './harness.ts';

const config = (expression: string) => filterModule.configSchema.parse({ expression });

describe('filterKernel', () => {
  it('keeps the birdstrikes rows where the condition is TRUE, in input order', async () => {
    await withInput(BIRDSTRIKES, async (table) => {
      const condition = `"Cost Total $" > 0 AND "Origin State" = 'Texas'`;

      const rows = await table.transform(filterKernel, config(condition));

      const expected = await table.rows(`SELECT * FROM input WHERE ${condition}`);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows).toStrictEqual(expected);
    });
  });

  it('reads pipeline parameters with getvariable', async () => {
    await withInput(BIRDSTRIKES, async (table) => {
      await setParameterVariables(table.connection, { state: 'Texas', min_speed: 150 });

      const rows = await table.transform(
        filterKernel,
        config(`"Origin State" = getvariable('state') AND "Speed IAS in knots" >= getvariable('min_speed')`),
      );

      const [expected] = await table.rows(
        `SELECT count(*) AS n FROM input WHERE "Origin State" = 'Texas' AND "Speed IAS in knots" >= 150`,
      );
      expect(rows).toHaveLength(Number(expected?.n));
    });
  });

  it('drops rows where the condition is NULL', async () => {
    const input = `SELECT * FROM (VALUES (1, 10), (2, NULL), (3, 30)) AS t(id, amount)`;
    await withInput(input, async (table) => {
      const rows = await table.transform(filterKernel, config('amount > 5'));

      expect(rows.map((row) => row.id)).toStrictEqual([1, 3]);
    });
  });

  it('keeps a trailing comment from swallowing the rest of the query', async () => {
    await withInput(BIRDSTRIKES, async (table) => {
      const rows = await table.transform(filterKernel, config(`"Wildlife Size" = 'Large' -- big birds only`));

      const [expected] = await table.rows(`SELECT count(*) AS n FROM input WHERE "Wildlife Size" = 'Large'`);
      expect(rows).toHaveLength(Number(expected?.n));
    });
  });

  it('fails when the condition names a column the chunk does not have', async () => {
    await withInput(BIRDSTRIKES, async (table) => {
      await expect(table.transform(filterKernel, config('"Cost Total" > 0'))).rejects.toThrow(
        /Referenced column "Cost Total" not found/,
      );
    });
  });
});

describe('filterModule', () => {
  it('is a chunk-local transformer', () => {
    expect(filterModule).toMatchObject({ name: 'filter', kind: 'transformer', chunkLocal: true });
  });

  it('accepts a condition that parses', async () => {
    expect(await filterModule.checkConfig?.(config(`"Cost Total $" > 0`))).toStrictEqual([]);
  });

  it('fails when the condition does not parse', async () => {
    const issues = await filterModule.checkConfig?.(config(`"Cost Total $" > 0)`));

    expect(issues).toStrictEqual([{ path: ['expression'], message: 'syntax error at or near ")"' }]);
  });

  it('fails when the condition reads a file through a subquery', async () => {
    const issues = await filterModule.checkConfig?.(
      config(`(SELECT content FROM read_text('/proc/self/environ')) <> ''`),
    );

    expect(issues).toStrictEqual([
      { path: ['expression'], message: 'subqueries are not allowed in expressions' },
    ]);
  });

  it('fails when the condition is missing', () => {
    expect(filterModule.configSchema.safeParse({ expression: '' }).success).toBe(false);
  });
});
