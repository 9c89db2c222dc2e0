import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { balancedChunkBytes, MIN_BALANCED_CHUNK_BYTES } from '../../../../shared/chunks/chunk-sizing.ts';

const MiB = 1024 * 1024;
const chunksAt = (total: number, bytes: number) => Math.ceil(total / bytes);

describe('balancedChunkBytes', () => {
  it('cuts the reference file into six chunks for two workers instead of five', () => {
    const total = 80_713_532;
    const bytes = balancedChunkBytes(total, { targetBytes: 16 * MiB, workers: 2 });

    expect(chunksAt(total, 16 * MiB)).toBe(5);
    expect(chunksAt(total, bytes)).toBe(6);
  });

  it('leaves the target alone without workers, for one chunk, or when chunks would get too small', () => {
    expect(balancedChunkBytes(100 * MiB, { targetBytes: 16 * MiB })).toBe(16 * MiB);
    expect(balancedChunkBytes(10 * MiB, { targetBytes: 16 * MiB, workers: 10 })).toBe(16 * MiB);
    // Three 1 KiB chunks on ten workers would become 600-byte chunks: not worth a task each.
    expect(balancedChunkBytes(3000, { targetBytes: 1024, workers: 10 })).toBe(1024);
    // Three 64 MiB chunks on ten workers: six of 32 MiB would be half the target, which grouping undoes.
    expect(balancedChunkBytes(192 * MiB, { targetBytes: 64 * MiB, workers: 10 })).toBe(64 * MiB);
  });

  it('never exceeds the target, fills whole waves where it can and at most doubles the chunks', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000_000 }),
        fc.integer({ min: MiB, max: 1024 * MiB }),
        fc.integer({ min: 1, max: 64 }),
        (total, targetBytes, workers) => {
          const bytes = balancedChunkBytes(total, { targetBytes, workers });
          const plain = chunksAt(total, targetBytes);
          const balanced = chunksAt(total, bytes);

          expect(bytes).toBeLessThanOrEqual(targetBytes);
          expect(balanced).toBeGreaterThanOrEqual(plain);
          expect(balanced).toBeLessThanOrEqual(Math.max(plain, 2 * plain));
          if (bytes !== targetBytes) {
            expect(bytes).toBeGreaterThanOrEqual(MIN_BALANCED_CHUNK_BYTES);
            expect(2 * bytes).toBeGreaterThan(targetBytes);
            // Whole waves, unless the doubling cap stopped short of the next multiple.
            if (balanced < 2 * plain) expect(balanced % workers).toBe(0);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
