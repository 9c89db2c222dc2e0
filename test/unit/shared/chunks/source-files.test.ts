import { describe, expect, it } from 'vitest';
import { globToRegExp } from '../../../../shared/chunks/source-files.ts';

function matches(glob: string, key: string): boolean {
  return globToRegExp(glob).test(key);
}

describe('globToRegExp', () => {
  it('matches * within one path segment', () => {
    expect(matches('*.csv', 'strikes.csv')).toBe(true);
    expect(matches('*.csv', '.csv')).toBe(true);
    expect(matches('*.csv', '2024/strikes.csv')).toBe(false);
    expect(matches('year=*/*.csv', 'year=2024/strikes.csv')).toBe(true);
    expect(matches('year=*/*.csv', 'year=2024/month=1/strikes.csv')).toBe(false);
  });

  it('matches ** across path segments', () => {
    expect(matches('**/*.csv', '2024/strikes.csv')).toBe(true);
    expect(matches('**/*.csv', '2024/01/02/strikes.csv')).toBe(true);
    expect(matches('**', 'any/depth/at/all.json')).toBe(true);
    expect(matches('raw/**.json', 'raw/a/b.json')).toBe(true);
    expect(matches('**/*.csv', '2024/strikes.json')).toBe(false);
  });

  it('lets **/ match zero folders too', () => {
    expect(matches('**/*.csv', 'strikes.csv')).toBe(true);
    expect(matches('raw/**/*.csv', 'raw/strikes.csv')).toBe(true);
    expect(matches('raw/**/*.csv', 'raw/a/b/strikes.csv')).toBe(true);
    expect(matches('raw/**/*.csv', 'rawstrikes.csv')).toBe(false);
  });

  it('matches ? as exactly one character other than /', () => {
    expect(matches('part-?.csv', 'part-1.csv')).toBe(true);
    expect(matches('part-?.csv', 'part-.csv')).toBe(false);
    expect(matches('part-?.csv', 'part-12.csv')).toBe(false);
    expect(matches('a?b', 'a/b')).toBe(false);
  });

  it('anchors the pattern at both ends', () => {
    expect(matches('*.csv', 'strikes.csv.gz')).toBe(false);
    expect(matches('strikes.csv', 'old-strikes.csv')).toBe(false);
  });

  it('takes dots literally', () => {
    expect(matches('*.csv', 'strikes_csv')).toBe(false);
    expect(matches('a.b', 'axb')).toBe(false);
  });

  it.each([
    'data+1.csv',
    'report (final).csv',
    '[draft]{v2}.csv',
    'cost$^total.csv',
    'a|b.csv',
    'back\\slash.csv',
  ])('takes regex metacharacters literally in %s', (glob) => {
    expect(matches(glob, glob)).toBe(true);
  });

  it('does not give metacharacters their regex meaning', () => {
    expect(matches('data+1.csv', 'dataaa1.csv')).toBe(false);
    expect(matches('[ab].csv', 'a.csv')).toBe(false);
    expect(matches('a|b.csv', 'a')).toBe(false);
    expect(matches('x{2}.csv', 'xx.csv')).toBe(false);
    expect(matches('(a)?.csv', 'a.csv')).toBe(false);
  });

  it('matches only the empty key for an empty glob', () => {
    expect(matches('', '')).toBe(true);
    expect(matches('', 'a.csv')).toBe(false);
  });
});
