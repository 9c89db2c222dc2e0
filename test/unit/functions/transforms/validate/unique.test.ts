import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  validateBarrierKernel,
  validateKernel,
} from '../../../../../functions/transforms/validate/kernel.ts';
import { validateModule } from '../../../../../functions/transforms/validate/module.ts';
import { sqlString } from '../../../../../shared/duckdb/sql.ts';
import { withInput } from '../harness.ts';

const MOVIES_PATH = fileURLToPath(new URL('../../../../../../shared/data/vega/movies.json', import.meta.url));
const MOVIES = `SELECT * FROM read_json(${sqlString(MOVIES_PATH)})`;

const config = (rules: unknown[]) => validateModule.configSchema.parse({ rules });

interface Report {
  rows: number;
  rules: {
    rule: string;
    column: string;
    checked: number;
    passed: number;
    failed: number;
    examples: string[];
  }[];
}

/** Keys a, b with NULLs in each; (1, x) twice, (NULL, y) twice, (2, NULL) twice. */
const PAIRS = `SELECT * FROM (VALUES (1, 'x', 'r1'), (1, 'x', 'r2'), (1, 'y', 'r3'), (NULL, 'y', 'r4'),
  (NULL, 'y', 'r5'), (2, NULL, 'r6'), (2, NULL, 'r7'), (3, 'z', 'r8')) AS t(a, b, id)`;

describe('validateKernel with unique rules', () => {
  it('fails every row of a duplicated Title in movies, as DuckDB counts them', async () => {
    await withInput(MOVIES, async (table) => {
      const plan = await validateKernel({
        connection: table.connection,
        inputColumns: table.inputColumns,
        config: config([{ column: 'Title', check: 'unique' }]),
      });

      const [oracle] = await table.rows(
        `SELECT count(*)::INTEGER AS n, count(*) FILTER (WHERE dups > 1)::INTEGER AS duplicated
         FROM (SELECT Title, count(*) OVER (PARTITION BY Title) AS dups FROM input WHERE Title IS NOT NULL)`,
      );
      const smallest = await table.rows(
        `SELECT CAST(Title AS VARCHAR) AS title FROM input WHERE Title IS NOT NULL
         GROUP BY Title HAVING count(*) > 1 ORDER BY CAST(Title AS VARCHAR) LIMIT 3`,
      );
      const out = await table.rows(plan.query);
      const rejects = await table.rows(plan.rejects ?? 'SELECT 1 WHERE FALSE');
      const report = plan.quality as Report;
      expect(oracle?.duplicated).toBeGreaterThan(0);
      expect(rejects).toHaveLength(Number(oracle?.duplicated));
      // movies.json has one NULL Title: it passes, and the output keeps it.
      expect(out.length).toBe(3201 - Number(oracle?.duplicated));
      expect(out.filter((row) => row.Title === null)).toHaveLength(1);
      expect(report.rules[0]).toMatchObject({
        rule: 'unique:Title',
        column: 'Title',
        checked: 3201,
        failed: oracle?.duplicated,
        passed: 3201 - Number(oracle?.duplicated),
        examples: smallest.map((row) => row.title),
      });
      expect(rejects[0]).toMatchObject({ column: 'Title', error_type: 'validate:unique:Title' });
      expect(String(rejects[0]?.reason)).toMatch(
        /^rule "unique:Title" \(unique\) failed on column "Title": value .+ appears 2 times in the input$/,
      );
    });
  });

  it('treats NULL key parts as never duplicate and numbers rejects in input order', async () => {
    await withInput(PAIRS, async (table) => {
      const plan = await validateKernel({
        connection: table.connection,
        inputColumns: table.inputColumns,
        config: config([{ column: ['a', 'b'], check: 'unique', name: 'pair' }]),
      });

      const out = await table.rows(plan.query);
      const rejects = await table.rows(`${plan.rejects} ORDER BY record`);
      expect(out.map((row) => row.id)).toStrictEqual(['r3', 'r4', 'r5', 'r6', 'r7', 'r8']);
      expect(rejects.map((row) => [row.record, row.column, JSON.parse(String(row.raw)).id])).toStrictEqual([
        ['1', 'a, b', 'r1'],
        ['2', 'a, b', 'r2'],
      ]);
      expect(String(rejects[0]?.reason)).toBe(
        'rule "pair" (unique) failed on column "a, b": value (1, x) appears 2 times in the input',
      );
    });
  });

  it('fails the node with a DataError naming the rule and a duplicated key', async () => {
    await withInput(PAIRS, async (table) => {
      const run = validateKernel({
        connection: table.connection,
        inputColumns: table.inputColumns,
        config: config([{ column: 'a', check: 'unique', severity: 'fail' }]),
      });

      await expect(run).rejects.toMatchObject({
        name: 'DataError',
        message: 'validate rule "unique:a" failed on column "a" for 5 row(s), e.g. "1"',
      });
    });
  });

  it('counts a warn rule in the report only, listing each duplicated key once', async () => {
    await withInput(PAIRS, async (table) => {
      const plan = await validateKernel({
        connection: table.connection,
        inputColumns: table.inputColumns,
        config: config([{ column: 'a', check: 'unique', severity: 'warn' }]),
      });

      expect(plan.rejects).toBeUndefined();
      expect(await table.rows(plan.query)).toHaveLength(8);
      expect((plan.quality as Report).rules[0]).toMatchObject({
        checked: 8,
        failed: 5,
        examples: ['1', '2'],
      });
    });
  });
});

describe('validateBarrierKernel', () => {
  // A bucket as the barrier handler opens it: rows of several chunks with their places.
  const BUCKET = `SELECT *, (row_number() OVER () - 1) // 3 AS _etl_chunk, (row_number() OVER () - 1) % 3 + 1 AS _etl_row
                  FROM (${PAIRS})`;

  it('partitions by the columns every unique key shares', () => {
    const key = validateBarrierKernel.partitionKey(
      config([
        { column: ['a', 'b'], check: 'unique' },
        { column: 'id', check: 'not_null' },
        { column: ['b', 'a', 'id'], check: 'unique' },
      ]),
      0,
      [
        { name: 'a', type: 'INTEGER' },
        { name: 'b', type: 'VARCHAR' },
        { name: 'id', type: 'VARCHAR' },
      ],
    );

    expect(key).toBe('"a", "b"');
  });

  it('fails with a ConfigError when a key column is not in the input', () => {
    expect(() =>
      validateBarrierKernel.partitionKey(config([{ column: 'nope', check: 'unique' }]), 0, [
        { name: 'a', type: 'INTEGER' },
      ]),
    ).toThrow('validate: unique key column "nope" is not in the input');
  });

  it('keeps input order, hides the order columns and locates rejects by upstream chunk and row', async () => {
    await withInput(BUCKET, async (table) => {
      const plan = await validateBarrierKernel.reduce({
        connection: table.connection,
        inputColumns: [table.inputColumns],
        config: config([
          { column: ['a', 'b'], check: 'unique' },
          { column: 'b', check: 'not_null', severity: 'warn' },
        ]),
      });

      const out = await table.rows(plan.query);
      const rejects = await table.rows(`${plan.rejects} ORDER BY _etl_chunk, record`);
      expect(Object.keys(out[0] ?? {})).toStrictEqual(['a', 'b', 'id']);
      expect(out.map((row) => row.id)).toStrictEqual(['r3', 'r4', 'r5', 'r6', 'r7', 'r8']);
      expect(rejects.map((row) => [row._etl_chunk, row.record])).toStrictEqual([
        ['0', '1'],
        ['0', '2'],
      ]);
      expect(JSON.parse(String(rejects[0]?.raw))).toStrictEqual({ a: 1, b: 'x', id: 'r1' });
      expect(plan.quality.rules.map((rule) => [rule.checked, rule.failed])).toStrictEqual([
        [8, 2],
        [8, 2],
      ]);
    });
  });
});

describe('validateModule with unique rules', () => {
  it('runs as a barrier only when a rule is unique', () => {
    expect(validateModule.barrierWhen?.(config([{ column: 'a', check: 'not_null' }]))).toBe(false);
    expect(validateModule.barrierWhen?.(config([{ column: 'a', check: 'unique' }]))).toBe(true);
  });

  it('points at unique rules that share no key column, and at a column listed twice', async () => {
    const issues = await validateModule.checkConfig?.(
      config([
        { column: ['a', 'b'], check: 'unique' },
        { column: 'b', check: 'unique', severity: 'warn' },
        { column: 'c', check: 'unique', name: 'c once' },
        { column: ['b', 'b'], check: 'unique' },
      ]),
    );

    expect(issues).toStrictEqual([
      {
        path: ['rules', 2, 'column'],
        message:
          'unique rule "c once" shares no column with "unique:a, b" and the unique rules before it; the unique rules ' +
          'of one validate node run in one shuffle partitioned by a column of every key, so split these rules ' +
          'across two validate nodes',
      },
      { path: ['rules', 3, 'column', 1], message: 'column "b" is listed twice in the key' },
    ]);
  });
});
