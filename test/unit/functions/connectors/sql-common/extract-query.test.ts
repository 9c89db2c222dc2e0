import { describe, expect, it } from 'vitest';
import { mysqlDialect } from '../../../../../functions/connectors/mysql/dialect.ts';
import { postgresDialect } from '../../../../../functions/connectors/postgres/dialect.ts';
import { SqlExtractConfigSchema } from '../../../../../functions/connectors/sql-common/extract-config.ts';
import {
  chunkQuery,
  sampleQuery,
  statsQuery,
} from '../../../../../functions/connectors/sql-common/extract-query.ts';

const config = SqlExtractConfigSchema.parse({
  connection: 'warehouse',
  query: 'SELECT * FROM orders WHERE region = $region -- trailing comment',
  mode: 'incremental',
  cursor_column: 'updated_at',
  partition_column: 'id',
});
const window = {
  low: '2024-01-01 00:00:00+00',
  high: '2024-02-01 00:00:00+00',
  type: 'TIMESTAMP WITH TIME ZONE',
};
const range = { from: '1', to: '500', last: false, nulls: true };

describe('chunkQuery', () => {
  it('wraps the query and binds parameters, watermarks and key bounds in text order (PostgreSQL)', () => {
    const query = chunkQuery(
      { dialect: postgresDialect, config, parameters: { region: 'eu' }, defaultSchema: 'public' },
      window,
      range,
    );

    expect(query.text).toBe(
      'SELECT * FROM (\nSELECT * FROM orders WHERE region = $1 -- trailing comment\n) AS etl_src' +
        ' WHERE etl_src."updated_at" IS NOT NULL AND etl_src."updated_at" > $2 AND etl_src."updated_at" <= $3' +
        ' AND ((etl_src."id" >= $4 AND etl_src."id" < $5) OR etl_src."id" IS NULL)',
    );
    expect(query.params).toStrictEqual(['eu', window.low, window.high, '1', '500']);
  });

  it('compares integer keys as exact decimals in MySQL', () => {
    const query = chunkQuery(
      { dialect: mysqlDialect, config, parameters: { region: 'eu' }, defaultSchema: 'shop' },
      undefined,
      { ...range, last: true, nulls: false },
    );

    expect(query.text).toContain(
      'etl_src.`id` >= CAST(? AS DECIMAL(65,0)) AND etl_src.`id` <= CAST(? AS DECIMAL(65,0))',
    );
    expect(query.params).toStrictEqual(['eu', '1', '500']);
  });

  it('reads a whole table in its schema', () => {
    const tableConfig = SqlExtractConfigSchema.parse({ connection: 'warehouse', table: 'my "orders"' });

    const query = chunkQuery(
      { dialect: postgresDialect, config: tableConfig, parameters: {}, defaultSchema: 'public' },
      undefined,
      undefined,
    );

    expect(query.text).toBe('SELECT * FROM (\nSELECT * FROM "public"."my ""orders"""\n) AS etl_src');
  });

  it('fails naming the parameters when the query uses an unknown one', () => {
    expect(() =>
      chunkQuery(
        { dialect: postgresDialect, config, parameters: { since: 1 }, defaultSchema: 'public' },
        undefined,
        undefined,
      ),
    ).toThrow('query uses $region, but the pipeline has no parameter region (parameters: since)');
  });
});

describe('plan queries', () => {
  const context = { dialect: postgresDialect, config, parameters: { region: 'eu' }, defaultSchema: 'public' };

  it('samples without the incremental window and aggregates with its lower bound only', () => {
    expect(sampleQuery(context, undefined, 200).text).toMatch(/\) AS etl_src LIMIT 200$/);
    const stats = statsQuery(context, { low: null, type: 'BIGINT' });

    expect(stats.text).toMatch(
      /^SELECT MAX\(etl_src."updated_at"\), MIN\(etl_src."id"\), MAX\(etl_src."id"\), COUNT\(\*\) FROM/,
    );
    expect(stats.text).toMatch(/WHERE etl_src."updated_at" IS NOT NULL$/);
    expect(stats.params).toStrictEqual(['eu']);
  });
});

describe('SqlExtractConfigSchema', () => {
  it.each([
    [{ connection: 'c' }, 'give exactly one of `query` or `table`'],
    [{ connection: 'c', query: 'SELECT 1', table: 't' }, 'give exactly one of `query` or `table`'],
    [{ connection: 'c', table: 't', mode: 'incremental' }, '`incremental` mode needs a `cursor_column`'],
    [{ connection: 'c', query: 'SELECT 1', schema: 's' }, '`schema` goes with `table`'],
    [
      { connection: 'c', table: 't', initial_watermark: 5 },
      '`initial_watermark` applies to `incremental` mode only',
    ],
  ])('fails for %j', (input, message) => {
    const result = SqlExtractConfigSchema.safeParse(input);

    expect(result.error?.issues.map((issue) => issue.message)).toContain(message);
  });
});
