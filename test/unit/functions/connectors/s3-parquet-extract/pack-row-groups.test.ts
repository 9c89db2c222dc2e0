import { describe, expect, it } from 'vitest';
import { packRowGroups, type RowGroup } from '../../../../../functions/connectors/s3-parquet-extract/plan.ts';

/** Row groups of the given byte sizes, laid out one after the other from byte 4. */
function groups(...sizes: number[]): RowGroup[] {
  let start = 4;
  return sizes.map((size, id) => {
    const group = { id, rows: 10, span: { start, end: start + size } };
    start += size;
    return group;
  });
}

const ids = (packs: RowGroup[][]) => packs.map((pack) => pack.map((group) => group.id));

describe('packRowGroups', () => {
  it('packs consecutive row groups up to the target size', () => {
    expect(ids(packRowGroups(groups(40, 40, 40, 40, 40), 100))).toStrictEqual([[0, 1], [2, 3], [4]]);
  });

  it('gives a row group larger than the target a chunk of its own', () => {
    expect(ids(packRowGroups(groups(10, 500, 10), 100))).toStrictEqual([[0], [1], [2]]);
  });

  it('plans no chunk for a file without row groups', () => {
    expect(packRowGroups([], 100)).toStrictEqual([]);
  });
});
