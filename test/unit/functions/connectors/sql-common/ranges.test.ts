import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { integerRanges, parseIntegerBound } from '../../../../../functions/connectors/sql-common/ranges.ts';

describe('integerRanges', () => {
  it('cuts a span into contiguous equal ranges, NULL keys in the first', () => {
    expect(integerRanges(1n, 10n, 3)).toStrictEqual([
      { from: '1', to: '5', last: false, nulls: true },
      { from: '5', to: '9', last: false, nulls: false },
      { from: '9', to: '10', last: true, nulls: false },
    ]);
  });

  it('gives no more ranges than there are keys', () => {
    expect(integerRanges(7n, 8n, 10)).toHaveLength(2);
    expect(integerRanges(5n, 5n, 4)).toStrictEqual([{ from: '5', to: '5', last: true, nulls: true }]);
  });

  it('keeps keys past 2^53 exact', () => {
    const [first] = integerRanges(9_007_199_254_740_993n, 9_007_199_254_740_999n, 1);

    expect(first).toMatchObject({ from: '9007199254740993', to: '9007199254740999' });
  });

  it('covers every key exactly once (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }),
        fc.bigInt({ min: 0n, max: 10_000n }),
        fc.integer({ min: 1, max: 50 }),
        (min, width, parts) => {
          const max = min + width;
          const ranges = integerRanges(min, max, parts);

          expect(ranges.length).toBeLessThanOrEqual(parts);
          expect(BigInt(ranges[0]?.from ?? '')).toBe(min);
          expect(ranges.at(-1)).toMatchObject({ to: String(max), last: true });
          for (let index = 1; index < ranges.length; index++) {
            expect(ranges[index]?.from).toBe(ranges[index - 1]?.to);
            expect(ranges[index - 1]?.last).toBe(false);
          }
        },
      ),
    );
  });
});

describe('parseIntegerBound', () => {
  it('fails, naming the column, when the key is not an integer', () => {
    expect(() => parseIntegerBound('2024-01-01', 'created')).toThrow(
      'partition_column created must hold integers; its values include "2024-01-01"',
    );
  });
});
