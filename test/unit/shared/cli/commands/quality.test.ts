import { describe, expect, it } from 'vitest';
import { renderQuality, sumQuality } from '../../../../../shared/cli/commands/quality.ts';

const rule = (overrides: Record<string, unknown>) => ({
  rule: 'not_null:title',
  column: 'title',
  severity: 'reject',
  checked: 10,
  passed: 9,
  failed: 1,
  examples: ['a'],
  ...overrides,
});

describe('sumQuality', () => {
  it('sums each rule over the chunks, keeping rule order and the first three examples', () => {
    const totals = sumQuality([
      {
        rows: 10,
        rules: [
          rule({ examples: ['a', 'b'] }),
          rule({ rule: 'range:year', column: 'year', failed: 0, passed: 10 }),
        ],
      },
      { rows: 5, rules: [rule({ checked: 5, passed: 3, failed: 2, examples: ['c', 'd'] })] },
    ]);

    expect(totals).toStrictEqual([
      {
        rule: 'not_null:title',
        column: 'title',
        severity: 'reject',
        checked: 15,
        passed: 12,
        failed: 3,
        examples: ['a', 'b', 'c'],
      },
      {
        rule: 'range:year',
        column: 'year',
        severity: 'reject',
        checked: 10,
        passed: 10,
        failed: 0,
        examples: ['a'],
      },
    ]);
  });
});

describe('renderQuality', () => {
  it('prints one line per node and rule with counts and quoted examples', () => {
    const text = renderQuality(
      new Map([['checked', sumQuality([{ rows: 1200, rules: [rule({ checked: 1200, passed: 1199 })] }])]]),
    );

    expect(text.split('\n')[2]).toMatch(/^checked\s+not_null:title\s+reject\s+1,200\s+1,199\s+1\s+"a"$/);
  });
});
