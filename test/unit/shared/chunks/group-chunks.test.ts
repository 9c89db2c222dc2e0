import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ChunkGroup,
  chunkBytes,
  groupParts,
  groupSmallChunks,
  MAX_PARTS_PER_GROUP,
} from '../../../../shared/chunks/group-chunks.ts';
import type { ChunkDescriptor } from '../../../../shared/chunks/ref.ts';

/** Planned chunks in plan order: byte ranges of files, or (undefined) a chunk of unknown size. */
const plans = fc
  .tuple(
    fc.array(fc.option(fc.nat({ max: 5_000 }), { freq: 8 }), { maxLength: 600 }),
    fc.integer({ min: 1, max: 6_000 }),
  )
  .map(([sizes, target]) => ({
    target,
    chunks: sizes.map(
      (size, index): ChunkDescriptor =>
        size === null
          ? { index, key: `k${index}` }
          : { index, key: `f${index}.csv`, start: 10, end: 10 + size },
    ),
  }));

const groupBytes = (group: ChunkGroup) =>
  group.parts.reduce((sum, part) => sum + (chunkBytes(part) ?? Number.NaN), 0);

describe('groupSmallChunks', () => {
  it('never loses, duplicates or reorders a planned chunk, and numbers the chunks 0..n-1', () => {
    fc.assert(
      fc.property(plans, ({ chunks, target }) => {
        const grouped = groupSmallChunks(chunks, target);

        const flattened = grouped.flatMap((chunk) => groupParts(chunk) ?? [chunk]);
        expect(flattened).toStrictEqual(chunks);
        expect(grouped.map((chunk) => chunk.index)).toStrictEqual(grouped.map((_, index) => index));
      }),
      { numRuns: 300 },
    );
  });

  it('respects the target: a group of several parts holds at most the target bytes and MAX_PARTS_PER_GROUP parts', () => {
    fc.assert(
      fc.property(plans, ({ chunks, target }) => {
        const grouped = groupSmallChunks(chunks, target);

        for (const chunk of grouped) {
          const parts = groupParts(chunk) ?? [chunk];
          if (parts.length < 2) continue;
          expect(groupBytes(chunk as ChunkGroup)).toBeLessThanOrEqual(target);
          expect(parts.length).toBeLessThanOrEqual(MAX_PARTS_PER_GROUP);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('packs greedily: no group could have taken the next chunk', () => {
    fc.assert(
      fc.property(plans, ({ chunks, target }) => {
        const grouped = groupSmallChunks(chunks, target).map((chunk) => groupParts(chunk) ?? [chunk]);

        for (let i = 0; i + 1 < grouped.length; i++) {
          const group = grouped[i] ?? [];
          const next = grouped[i + 1]?.[0] as ChunkDescriptor;
          const sizes = [...group, next].map(chunkBytes);
          const total = sizes.reduce<number>((sum, size) => sum + (size ?? Number.POSITIVE_INFINITY), 0);
          expect(total > target || group.length >= MAX_PARTS_PER_GROUP).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('leaves a plan it cannot shrink unchanged, e.g. one big file cut into ranges', () => {
    const ranges = [0, 1, 2].map((index) => ({
      index,
      key: 'big.csv',
      start: index * 100,
      end: (index + 1) * 100,
    }));

    expect(groupSmallChunks(ranges, 100)).toStrictEqual(ranges);
  });

  it('groups 50 small files into chunks of about the target size', () => {
    const files = Array.from({ length: 50 }, (_, index) => ({
      index,
      key: `f${index}`,
      start: 0,
      end: 1_000,
    }));

    const grouped = groupSmallChunks(files, 4_000);

    expect(grouped).toHaveLength(13);
    expect(grouped[0]).toStrictEqual({ index: 0, parts: files.slice(0, 4) });
    expect(grouped[12]).toStrictEqual({ index: 12, parts: files.slice(48) });
  });
});
