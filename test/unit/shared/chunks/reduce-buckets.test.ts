/**
 * The bucket arithmetic of barriers: whatever modulus each input was
 * shuffled with and whatever reduce modulus the plan picks, every row is
 * read by exactly one reduce bucket, the one of its key hash (so equal keys
 * of different inputs still meet).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AUTO_MAX_BUCKETS,
  autoShuffleModulus,
  chooseReduceModulus,
  nextPowerOfTwo,
  reduceBuckets,
  reduceBucketsHoldingRows,
  sourceBuckets,
} from '../../../../shared/chunks/reduce-buckets.ts';
import { HASH_SLOTS, parseShuffleFileKey, shuffleFileKey } from '../../../../shared/chunks/shuffle.ts';
import { InvalidEventError } from '../../../../shared/errors.ts';

/** The reduce buckets that keep a row of hash `hash` shuffled with modulus `m`, as a reduce reads them. */
function bucketsKeeping(hash: bigint, m: number, reduce: number): number[] {
  const sourceBucket = Number(hash % BigInt(m));
  const slot = Number(hash % BigInt(HASH_SLOTS));
  const keeping: number[] = [];
  for (let bucket = 0; bucket < reduce; bucket++) {
    const source = sourceBuckets(m, reduce, bucket);
    if (!source.buckets.includes(sourceBucket)) continue;
    if (!source.filter || slot % reduce === bucket) keeping.push(bucket);
  }
  return keeping;
}

const powerOfTwo = fc.integer({ min: 0, max: 8 }).map((exponent) => 2 ** exponent);
const hash = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });

describe('sourceBuckets', () => {
  it('reads, for m > R, every source bucket congruent to the reduce bucket, whole', () => {
    expect(sourceBuckets(8, 2, 1)).toStrictEqual({ buckets: [1, 3, 5, 7], filter: false });
  });

  it('reads, for m = R, the same bucket, whole', () => {
    expect(sourceBuckets(4, 4, 3)).toStrictEqual({ buckets: [3], filter: false });
  });

  it('reads, for m < R, the one source bucket that holds its rows, filtered by slot', () => {
    expect(sourceBuckets(2, 8, 5)).toStrictEqual({ buckets: [1], filter: true });
    expect(sourceBuckets(1, 4, 3)).toStrictEqual({ buckets: [0], filter: true });
  });

  it('reads a fixed modulus that is not a power of two exactly as before: bucket j of N', () => {
    expect(sourceBuckets(5, 5, 2)).toStrictEqual({ buckets: [2], filter: false });
  });

  it('refuses a reduce modulus that could not split the files exactly', () => {
    expect(() => sourceBuckets(8, 5, 0)).toThrow(InvalidEventError);
  });

  it('sends every row to exactly the reduce bucket hash % R, for power-of-two moduli', () => {
    fc.assert(
      fc.property(hash, powerOfTwo, powerOfTwo, (h, m, reduce) => {
        expect(bucketsKeeping(h, m, reduce)).toStrictEqual([Number(h % BigInt(reduce))]);
      }),
    );
  });

  it('sends every row to exactly one reduce bucket for any moduli the plan can pick', () => {
    fc.assert(
      fc.property(hash, fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 1000 }), (h, m, n) => {
        const reduce = chooseReduceModulus({ setting: n, moduli: [m], shuffledBytes: 0, chunkSizeBytes: 1 });
        expect(bucketsKeeping(h, m, reduce)).toStrictEqual([Number(h % BigInt(reduce))]);
      }),
    );
  });
});

describe('chooseReduceModulus', () => {
  const auto = (moduli: number[], shuffledBytes: number) =>
    chooseReduceModulus({ setting: 'auto', moduli, shuffledBytes, chunkSizeBytes: 100 });

  it('keeps a fixed count', () => {
    expect(chooseReduceModulus({ setting: 5, moduli: [5], shuffledBytes: 1e9, chunkSizeBytes: 1 })).toBe(5);
    expect(chooseReduceModulus({ setting: 8, moduli: [], shuffledBytes: 0, chunkSizeBytes: 1 })).toBe(8);
  });

  it('gives about one chunk size of shuffled bytes per task in auto mode', () => {
    expect(auto([64], 100)).toBe(1);
    expect(auto([64], 101)).toBe(2);
    expect(auto([64], 1_000)).toBe(16);
    expect(auto([64], 0)).toBe(1);
  });

  it('never goes past the largest modulus, nor past the auto maximum', () => {
    expect(auto([1, 8], 1e9)).toBe(8);
    expect(auto([AUTO_MAX_BUCKETS], 1e12)).toBe(AUTO_MAX_BUCKETS);
    expect(auto([], 1e9)).toBe(1);
  });

  it('shrinks a fixed count until files of another fixed count read exactly', () => {
    // 6 neither divides 4 nor the slots: gcd(6, 4) = 2.
    expect(chooseReduceModulus({ setting: 6, moduli: [6, 4], shuffledBytes: 0, chunkSizeBytes: 1 })).toBe(2);
    // 8 divides the slots: files of 5 buckets are split by slot.
    expect(chooseReduceModulus({ setting: 8, moduli: [5], shuffledBytes: 0, chunkSizeBytes: 1 })).toBe(8);
  });
});

describe('reduce buckets holding rows', () => {
  it('lists, for m >= R, each source bucket folded onto R', () => {
    const files = [0, 3, 4, 7].map((bucket) => ({ modulus: 8, bucket }));
    expect(reduceBucketsHoldingRows(files, 4)).toStrictEqual([0, 3]);
    expect(reduceBucketsHoldingRows(files, 8)).toStrictEqual([0, 3, 4, 7]);
  });

  it('lists, for m < R, every reduce bucket a source bucket may split into', () => {
    expect(reduceBucketsHoldingRows([{ modulus: 2, bucket: 1 }], 8)).toStrictEqual([1, 3, 5, 7]);
    expect(reduceBucketsHoldingRows([{ modulus: 1, bucket: 0 }], 4)).toStrictEqual([0, 1, 2, 3]);
  });

  it('describes each task with the reduce modulus and the moduli of every input', () => {
    const files = [
      { input: 0, modulus: 8, bucket: 6 },
      { input: 1, modulus: 1, bucket: 0 },
    ];
    expect(reduceBuckets(files, 3, 2)).toStrictEqual([
      { index: 0, buckets: 2, moduli: [[8], [1], []] },
      { index: 1, buckets: 2, moduli: [[8], [1], []] },
    ]);
  });
});

describe('auto shuffle modulus', () => {
  it('is the smallest power of two covering the chunk count, within [1, 256]', () => {
    expect([0, 1, 2, 3, 7, 8, 9, 200, 5_000].map(autoShuffleModulus)).toStrictEqual([
      1, 1, 2, 4, 8, 8, 16, 256, 256,
    ]);
    expect(nextPowerOfTwo(129)).toBe(256);
  });
});

describe('shuffle file keys', () => {
  it('record the modulus and read back', () => {
    const file = { input: 1, modulus: 16, bucket: 9, chunk: 42, part: 2 };
    const key = shuffleFileKey('run', 'dedup', file);
    expect(key).toBe('runs/run/dedup/shuffle/in-1/of-16/bucket-00009/chunk-00042-2.parquet');
    expect(parseShuffleFileKey(key)).toStrictEqual(file);
    expect(parseShuffleFileKey('runs/run/dedup/shuffle/in-1/schema.parquet')).toBeUndefined();
  });
});
