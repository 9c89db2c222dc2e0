import { describe, expect, it } from 'vitest';
import { type ChunkQuality, sumQuality } from '../../../../shared/quality/run-quality.ts';

const report = (failed: number, examples: string[]): ChunkQuality => ({
  rows: 10,
  rules: [
    {
      rule: 'unique:title',
      column: 'title',
      severity: 'warn',
      checked: 10,
      passed: 10 - failed,
      failed,
      examples,
    },
  ],
});

describe('sumQuality examples', () => {
  it('are the smallest failing values of the whole input, whatever order the chunks come in', () => {
    const chunks = [report(2, ['Zorro', 'b']), report(3, ['Alien', 'Émile', 'a']), report(1, ['Zorro'])];

    const forward = sumQuality(chunks);
    const backward = sumQuality([...chunks].reverse());

    // DuckDB's order: bytes of UTF-8, so upper case before lower case, and "É" after both.
    expect(forward[0]?.examples).toStrictEqual(['Alien', 'Zorro', 'Zorro']);
    expect(backward).toStrictEqual(forward);
    expect(forward[0]).toMatchObject({ checked: 30, failed: 6, passed: 24 });
  });

  it('order text by UTF-8 bytes as DuckDB does, not by UTF-16 units as JavaScript does', () => {
    // U+1F600 sorts before U+FF21 in UTF-16 (a surrogate pair, 0xD83D) but after it in UTF-8 (0xF0 vs 0xEF).
    const totals = sumQuality([report(1, ['\u{1F600}']), report(1, ['\uFF21'])]);

    expect(totals[0]?.examples).toStrictEqual(['\uFF21', '\u{1F600}']);
  });
});
