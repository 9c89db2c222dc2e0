import { describe, expect, it } from 'vitest';
import { sqlKernel } from '../../../../functions/transforms/sql/kernel.ts';
import { sqlModule } from '../../../../functions/transforms/sql/module.ts';
import { registry } from '../../../../shared/modules/registry.ts';
import { validatePipeline } from '../../../../shared/spec/validate.ts';
import { BIRDSTRIKES, withInput } from './harness.ts';

const config = (query: string) => sqlModule.configSchema.parse({ query });
const check = async (query: string) => sqlModule.checkConfig?.(config(query));

describe('sqlKernel', () => {
  it('runs the query over the birdstrikes chunk as DuckDB does', async () => {
    await withInput(BIRDSTRIKES, async (table) => {
      const query = `SELECT "Origin State" AS state, count(*) AS strikes FROM input GROUP BY ALL ORDER BY strikes DESC, state LIMIT 5`;

      const rows = await table.transform(sqlKernel, config(query));

      expect(rows).toHaveLength(5);
      expect(rows).toStrictEqual(await table.rows(query));
    });
  });

  it('accepts CTEs over input and a trailing comment', async () => {
    await withInput(BIRDSTRIKES, async (table) => {
      const query = `WITH costly AS (SELECT * FROM input WHERE "Cost Total $" > 0) SELECT count(*) AS n FROM costly -- note`;

      const rows = await table.transform(sqlKernel, config(query));

      const [expected] = await table.rows(`SELECT count(*) AS n FROM input WHERE "Cost Total $" > 0`);
      expect(rows).toStrictEqual([expected]);
    });
  });
});

describe('sqlModule.checkConfig', () => {
  it('accepts a SELECT over input', async () => {
    expect(await check('SELECT *, 1 AS one FROM input WHERE x IN (SELECT x FROM input)')).toStrictEqual([]);
  });

  it.each([
    ['a table function', `SELECT * FROM read_csv('/etc/passwd')`, 'table functions are not allowed'],
    ['glob in a subquery', `SELECT * FROM input WHERE 1 IN (SELECT 1 FROM glob('*'))`, 'found glob'],
    ['another table', 'SELECT * FROM secrets', 'only the table "input"'],
    ['a file as a table', `SELECT * FROM '/etc/passwd'`, 'only the table "input"'],
    ['two statements', 'SELECT 1 FROM input; SELECT 2 FROM input', 'single SELECT'],
    ['a trailing ;', 'SELECT * FROM input;', 'single SELECT'],
    ['a non-SELECT statement', `COPY input TO 'x.csv'`, 'single SELECT'],
  ])('fails on %s', async (_label, query, message) => {
    const issues = await check(query);

    expect(issues).toHaveLength(1);
    expect(issues?.[0]?.path).toStrictEqual(['query']);
    expect(issues?.[0]?.message).toContain(message);
  });
});

describe('validatePipeline with a sql node', () => {
  it("fails on a parse error with the node's pointer and DuckDB's message", async () => {
    const document = {
      name: 'sql pipeline',
      nodes: [
        { id: 'src', type: 'extractor', module: 's3-csv', config: { bucket: 'raw-data' } },
        { id: 'q', type: 'transformer', module: 'sql', config: { query: 'SELEC * FROM input' } },
        { id: 'sink', type: 'loader', module: 's3-parquet', config: { bucket: 'curated-data' } },
      ],
      edges: [
        { source: 'src', target: 'q' },
        { source: 'q', target: 'sink' },
      ],
    };

    const result = await validatePipeline(document, registry);

    expect(result.ok).toBe(false);
    expect(result.errors).toStrictEqual([
      { pointer: '/nodes/1/config/query', code: 'config', message: 'syntax error at or near "SELEC"' },
    ]);
  });
});
