import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBConnection } from '@duckdb/node-api';
import { describe, expect, it, vi } from 'vitest';
import { queryRows, withDuckDb } from '../../../../shared/duckdb/engine.ts';
import {
  checkSqlExpression,
  checkSqlType,
  embedSqlExpression,
} from '../../../../shared/duckdb/expression-check.ts';

describe('checkSqlExpression', () => {
  it.each([
    `"Cost Total $" > 0 AND "Origin State" = getvariable('state')`,
    `coalesce("Speed IAS in knots", 0) BETWEEN 100 AND 300`,
    `list_transform([1, 2], x -> x + 1)`,
    `'a;b' || ' -- not a comment'`,
    `count(*) OVER ()`,
    `"Cost Repair" + 1 -- a trailing comment`,
  ])('accepts %s', async (expression) => {
    expect(await checkSqlExpression(expression)).toBeUndefined();
  });

  it('fails when the expression does not parse', async () => {
    expect(await checkSqlExpression('lower("Origin State"))')).toBe('syntax error at or near ")"');
    expect(await checkSqlExpression('a >')).toBe('syntax error at end of input');
  });

  it('fails when the expression is empty', async () => {
    expect(await checkSqlExpression('  ')).toBe('must not be empty');
  });

  it.each(['a FROM input', 'a WHERE b', 'a ORDER BY 1', 'DISTINCT a', 'a LIMIT 1', '1 UNION SELECT 2'])(
    'fails when the expression is a query: %s',
    async (expression) => {
      expect(await checkSqlExpression(expression)).toBe('must be a single SQL expression, not a query');
    },
  );

  it.each([
    `(SELECT content FROM read_text('/proc/self/environ'))`,
    `x IN (SELECT 1)`,
    `EXISTS (SELECT * FROM read_csv('/etc/passwd'))`,
    `coalesce(a, (SELECT 1))`,
  ])('fails when the expression hides a subquery: %s', async (expression) => {
    expect(await checkSqlExpression(expression)).toBe('subqueries are not allowed in expressions');
  });

  it.each(['1; DROP TABLE input', '1; SELECT 2', `1; SELECT * FROM read_text('/proc/self/environ')`])(
    'fails when statements are smuggled with ";": %s',
    async (expression) => {
      expect(await checkSqlExpression(expression)).toBe(
        'must be a single SQL expression; ";" may not end it or start another statement',
      );
    },
  );

  it('fails when a ";" ends the expression', async () => {
    expect(await checkSqlExpression('1;')).toBe(
      'must be a single SQL expression, with no ";" or clause after it',
    );
  });

  it('fails when the expression is a list', async () => {
    expect(await checkSqlExpression('a, b')).toBe('must be a single SQL expression, not a list');
  });

  it('fails when the expression carries an alias', async () => {
    expect(await checkSqlExpression('a AS b')).toMatch(/^must not carry an alias/);
  });

  it('fails when the expression uses column wildcards', async () => {
    expect(await checkSqlExpression('*')).toMatch(/^column wildcards/);
    expect(await checkSqlExpression('COLUMNS(*) IS NOT NULL')).toMatch(/^column wildcards/);
  });

  it('checks many expressions at once', async () => {
    const expressions = Array.from({ length: 20 }, (_, index) => (index % 2 === 0 ? `a > ${index}` : `a >`));

    const results = await Promise.all(expressions.map(checkSqlExpression));

    expect(results.filter((result) => result === undefined)).toHaveLength(10);
  });
});

describe('remembered checks', () => {
  it('answers a repeated check without asking the parser again', async () => {
    const expression = "amount > 0 AND country <> 'remembered'";
    const parse = vi.spyOn(DuckDBConnection.prototype, 'runAndReadAll');
    try {
      const first = await checkSqlExpression(expression);
      const asked = parse.mock.calls.length;
      const again = await checkSqlExpression(expression);

      expect(asked).toBeGreaterThan(0);
      expect(again).toBe(first);
      expect(parse.mock.calls.length).toBe(asked);
    } finally {
      parse.mockRestore();
    }
  });

  it('keeps expressions and type names apart', async () => {
    expect(await checkSqlExpression('VARCHAR')).toBeUndefined();
    expect(await checkSqlType('VARCHAR')).toBeUndefined();
    expect(await checkSqlExpression('1 +')).toBe('syntax error at end of input');
    expect(await checkSqlType('1 +')).toMatch(/^must be a DuckDB type name/);
  });
});

describe('embedSqlExpression', () => {
  it('ends a trailing comment so the SQL after it still runs', async () => {
    const workDir = await mkdtemp(join(tmpdir(), 'etl-expression-'));
    try {
      const rows = await withDuckDb({ workDir }, (connection) =>
        queryRows(connection, `SELECT ${embedSqlExpression('1 -- one')} + 1 AS two`),
      );

      expect(rows).toStrictEqual([{ two: 2 }]);
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  });
});

describe('checkSqlType', () => {
  it.each(['BIGINT', 'date', 'DECIMAL(10,2)', 'VARCHAR[]', 'TIMESTAMP WITH TIME ZONE', 'STRUCT(a INTEGER)'])(
    'accepts %s',
    async (typeName) => {
      expect(await checkSqlType(typeName)).toBeUndefined();
    },
  );

  it('fails when the type does not exist', async () => {
    expect(await checkSqlType('INTEGR')).toBe('Type with name INTEGR does not exist!');
  });

  it.each([`INT'`, 'INT; DROP TABLE input', 'INT -- comment', 'INT) + (1', '"INT"'])(
    'fails when the type name has characters a type never has: %s',
    async (typeName) => {
      expect(await checkSqlType(typeName)).toMatch(/^must be a DuckDB type name/);
    },
  );

  it.each(['INT), (1', 'INT) FROM duckdb_settings() WHERE (1'])(
    'fails when the type name smuggles more SQL: %s',
    async (typeName) => {
      expect(await checkSqlType(typeName)).toBe('must be a single DuckDB type name');
    },
  );
});
