/**
 * Dedup's reduce keeps, per key, the row a window ranking `order_by` (NULLS
 * LAST) and then input order would keep. The reduce is a hash aggregate
 * (arg_min/arg_max over a struct), so this pins its tie and NULL handling
 * against the window, the definition, over random buckets: NULL keys, NULL
 * and tied order values, ascending, descending and input order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dedupKernel } from '../../../../functions/transforms/dedup/kernel.ts';
import { dedupModule } from '../../../../functions/transforms/dedup/module.ts';
import { withInput } from './harness.ts';

interface BucketRow {
  readonly key: string | null;
  readonly group: number | null;
  readonly amount: number | null;
  readonly chunk: number;
}

const rowArbitrary: fc.Arbitrary<BucketRow> = fc.record({
  key: fc.option(fc.constantFrom('a', 'A ', 'b', 'c'), { freq: 6 }),
  group: fc.option(fc.integer({ min: 0, max: 2 }), { freq: 6 }),
  // A narrow range, so order values tie often.
  amount: fc.option(fc.integer({ min: -3, max: 3 }), { freq: 4 }),
  chunk: fc.integer({ min: 0, max: 3 }),
});

const configArbitrary = fc.oneof(
  fc.constant({ keys: ['lower(trim(key))', 'grp'] }),
  fc.constant({ keys: ['lower(trim(key))'], order_by: 'amount' }),
  fc.constant({ keys: ['key', 'grp'], order_by: 'amount', descending: true }),
  fc.constant({ keys: ['grp'], order_by: 'amount * -1', descending: false }),
);

const literal = (value: string | number | null) =>
  value === null ? 'NULL' : typeof value === 'number' ? String(value) : `'${value}'`;

/** A shuffled bucket: the rows with their upstream chunk and row number, as the shuffle writes them. */
function bucketSql(rows: readonly BucketRow[]): string {
  // An empty bucket keeps the columns: a typed row filtered away.
  if (rows.length === 0)
    return `${bucketSql([{ key: null, group: null, amount: null, chunk: 0 }])} WHERE false`;
  const values = rows.map(
    (row, index) =>
      `(${literal(row.key)}, ${literal(row.group)}::INTEGER, ${literal(row.amount)}::INTEGER, ${row.chunk}::BIGINT, ${index + 1}::BIGINT)`,
  );
  return `SELECT * FROM (VALUES ${values.join(', ')}) AS t(key, grp, amount, _etl_chunk, _etl_row)`;
}

function windowDefinition(config: {
  keys: readonly string[];
  order_by?: string;
  descending?: boolean;
}): string {
  const order = config.order_by
    ? `${config.order_by} ${config.descending ? 'DESC' : 'ASC'} NULLS LAST, `
    : '';
  return `SELECT * FROM input QUALIFY row_number() OVER (PARTITION BY ${config.keys.join(', ')} ORDER BY ${order}_etl_chunk, _etl_row) = 1`;
}

const sorted = (sql: string) => `SELECT * FROM (${sql}) ORDER BY _etl_chunk, _etl_row`;

describe('dedup reduce', () => {
  it('keeps the same rows as the window definition, for any bucket and ranking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArbitrary, { minLength: 0, maxLength: 60 }),
        configArbitrary,
        async (rows, raw) => {
          const config = dedupModule.configSchema.parse(raw);
          await withInput(bucketSql(rows), async (table) => {
            const reduced = await dedupKernel.reduce({
              config,
              connection: table.connection,
              inputColumns: [table.inputColumns],
            });
            const query = typeof reduced === 'string' ? reduced : reduced.query;

            const kept = await table.rows(sorted(query));

            expect(kept).toStrictEqual(await table.rows(sorted(windowDefinition(raw))));
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('keeps the lowest id per normalized email on real-looking data, NULL order values last', async () => {
    const input = `SELECT * FROM (VALUES
        (3, ' Ann@x.org', 1, 1), (1, 'ann@x.org', 1, 2), (NULL, 'ANN@x.org ', 0, 1),
        (7, 'bob@x.org', 2, 5), (7, 'Bob@x.org', 0, 9), (NULL, NULL, 1, 3), (NULL, NULL, 0, 4)
      ) AS t(id, email, _etl_chunk, _etl_row)`;
    await withInput(input, async (table) => {
      const config = dedupModule.configSchema.parse({ keys: ['lower(trim(email))'], order_by: 'id' });
      const reduced = await dedupKernel.reduce({ config, connection: table.connection, inputColumns: [] });
      const query = typeof reduced === 'string' ? reduced : reduced.query;

      const kept = await table.rows(`SELECT id, email FROM (${query}) ORDER BY lower(email) NULLS LAST`);

      expect(kept).toStrictEqual([
        { id: 1, email: 'ann@x.org' },
        { id: 7, email: 'Bob@x.org' },
        { id: null, email: null },
      ]);
    });
  });
});
