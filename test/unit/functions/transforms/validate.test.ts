import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateKernel } from '../../../../functions/transforms/validate/kernel.ts';
import { validateModule } from '../../../../functions/transforms/validate/module.ts';
import { sqlString } from '../../../../shared/duckdb/sql.ts';
import { withInput } from './harness.ts';

const MOVIES_PATH = fileURLToPath(new URL('../../../../../shared/data/vega/movies.json', import.meta.url));
const MOVIES = `SELECT * FROM read_json(${sqlString(MOVIES_PATH)})`;

const config = (rules: unknown[]) => validateModule.configSchema.parse({ rules });

describe('validateKernel', () => {
  it('rejects, reports and keeps rows as DuckDB computes them on movies', async () => {
    await withInput(MOVIES, async (table) => {
      const plan = await validateKernel({
        connection: table.connection,
        inputColumns: table.inputColumns,
        config: config([
          { column: 'Major Genre', check: 'not_null' },
          { column: 'IMDB Rating', check: 'range', min: 0, max: 10, severity: 'warn' },
          {
            column: 'MPAA Rating',
            check: 'in_set',
            values: ['G', 'PG', 'PG-13', 'R', 'NC-17'],
            severity: 'warn',
          },
          { column: 'Title', check: 'max_length', length: 60, severity: 'warn', name: 'short title' },
          {
            column: 'Release Date',
            check: 'regex',
            pattern: '^[A-Z][a-z]{2} \\d{2} \\d{4}$',
            severity: 'warn',
          },
          { column: 'US Gross', check: 'type', type: 'BIGINT', severity: 'warn' },
          { column: 'US Gross', check: 'predicate', expression: '"US Gross" >= 0', severity: 'warn' },
        ]),
      });

      const [counts] = await table.rows(
        `SELECT count(*) AS n, count(*) FILTER (WHERE "Major Genre" IS NULL) AS no_genre,
                count(*) FILTER (WHERE "MPAA Rating" NOT IN ('G','PG','PG-13','R','NC-17')) AS odd_rating FROM input`,
      );
      const out = await table.rows(plan.query);
      const rejects = await table.rows(plan.rejects ?? 'SELECT 1 WHERE FALSE');
      expect(Number(counts?.no_genre)).toBeGreaterThan(0);
      expect(out.length + rejects.length).toBe(Number(counts?.n));
      expect(rejects).toHaveLength(Number(counts?.no_genre));
      expect(rejects[0]).toMatchObject({
        column: 'Major Genre',
        error_type: 'validate:not_null:Major Genre',
      });
      expect(String(rejects[0]?.reason)).toContain('value NULL');
      const report = plan.quality as {
        rows: number;
        rules: { rule: string; checked: number; passed: number; failed: number; examples: string[] }[];
      };
      expect(report.rows).toBe(Number(counts?.n));
      for (const rule of report.rules) expect(rule.passed + rule.failed).toBe(rule.checked);
      expect(report.rules[0]?.failed).toBe(Number(counts?.no_genre));
      expect(report.rules[2]?.failed).toBe(Number(counts?.odd_rating));
      expect(report.rules[2]?.examples.length).toBeLessThanOrEqual(3);
      expect(report.rules[3]?.rule).toBe('short title');
    });
  });

  it('fails the chunk with a DataError naming rule, column and an example', async () => {
    await withInput(MOVIES, async (table) => {
      const run = validateKernel({
        connection: table.connection,
        inputColumns: table.inputColumns,
        config: config([
          { column: 'MPAA Rating', check: 'in_set', values: ['G', 'PG', 'R'], severity: 'fail' },
        ]),
      });

      await expect(run).rejects.toMatchObject({
        name: 'DataError',
        message: expect.stringMatching(
          /rule "in_set:MPAA Rating" failed on column "MPAA Rating" for \d+ row\(s\), e\.g\. "/,
        ),
      });
    });
  });

  it('fails with a ConfigError when a rule names a missing column', async () => {
    await withInput(MOVIES, async (table) => {
      const run = validateKernel({
        connection: table.connection,
        inputColumns: table.inputColumns,
        config: config([{ column: 'Nope', check: 'not_null' }]),
      });

      await expect(run).rejects.toMatchObject({ name: 'ConfigError' });
    });
  });
});

describe('validateModule.checkConfig', () => {
  it('points at a bad type and a bad predicate', async () => {
    const issues = await validateModule.checkConfig?.(
      config([
        { column: 'a', check: 'type', type: 'NOPE' },
        { column: 'a', check: 'predicate', expression: 'a > (SELECT 1)' },
      ]),
    );

    expect(issues?.map((issue) => issue.path)).toStrictEqual([
      ['rules', 0, 'type'],
      ['rules', 1, 'expression'],
    ]);
  });
});
