/** Splits an integer key span into contiguous ranges, one per chunk (like Spark's JDBC `numPartitions`). */
import { ConfigError } from '../../../shared/errors.ts';
import type { KeyRange } from './extract-query.ts';

const INTEGER = /^-?\d+$/;

export function parseIntegerBound(value: string, column: string): bigint {
  if (!INTEGER.test(value)) {
    throw new ConfigError(
      `partition_column ${column} must hold integers; its values include ${JSON.stringify(value)}`,
    );
  }
  return BigInt(value);
}

/**
 * Equal-width ranges over [min, max]; fewer than `parts` when the span is
 * narrower. The first range also takes the rows whose key is NULL, so no row
 * falls between chunks. Bounds are strings: keys may exceed 2^53.
 */
export function integerRanges(min: bigint, max: bigint, parts: number): KeyRange[] {
  if (max < min) throw new RangeError(`empty span ${min}..${max}`);
  const span = max - min + 1n;
  const count = BigInt(Math.max(1, parts)) < span ? BigInt(Math.max(1, parts)) : span;
  const width = (span + count - 1n) / count;
  const ranges: KeyRange[] = [];
  for (let from = min; from <= max; from += width) {
    const last = from + width > max;
    ranges.push({
      from: String(from),
      to: String(last ? max : from + width),
      last,
      nulls: ranges.length === 0,
    });
  }
  return ranges;
}
