import { describe, expect, it } from 'vitest';
import { parseNextLink } from '../../../../../functions/connectors/http-common/link-header.ts';

const base = 'https://api.example.com/items?page=1';

describe('parseNextLink', () => {
  it('finds rel=next among several links (GitHub style)', () => {
    const header =
      '<https://api.example.com/items?page=2>; rel="next", <https://api.example.com/items?page=9>; rel="last"';

    expect(parseNextLink(header, base)?.href).toBe('https://api.example.com/items?page=2');
  });

  it('resolves relative targets and accepts unquoted and multi-valued rel', () => {
    expect(parseNextLink('</items?page=3>; rel=next', base)?.href).toBe(
      'https://api.example.com/items?page=3',
    );
    expect(parseNextLink('<?page=4>; title="x"; rel="prefetch next"', base)?.href).toBe(
      'https://api.example.com/items?page=4',
    );
  });

  it('keeps commas inside the URI', () => {
    expect(parseNextLink('<https://api.example.com/items?ids=1,2,3>; rel="next"', base)?.href).toBe(
      'https://api.example.com/items?ids=1,2,3',
    );
  });

  it('returns undefined without a next link', () => {
    expect(parseNextLink(null, base)).toBeUndefined();
    expect(parseNextLink('', base)).toBeUndefined();
    expect(parseNextLink('<https://api.example.com/items?page=1>; rel="prev"', base)).toBeUndefined();
    expect(parseNextLink('<https://api.example.com/x>; rel="nextish"', base)).toBeUndefined();
  });
});
