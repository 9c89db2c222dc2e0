import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../../../../functions/connectors/http-common/http-client.ts';
import { RestPaginationSchema } from '../../../../../functions/connectors/rest/config.ts';
import { firstPageUrl, nextPageUrl } from '../../../../../functions/connectors/rest/pagination.ts';

const base = new URL('https://api.example.com/items?status=open');

function page(body: unknown, records: number, requestUrl: URL, headers: Record<string, string> = {}) {
  const response: HttpResponse = { url: requestUrl, status: 200, headers: new Headers(headers), body };
  return { requestUrl, response, records };
}

describe('firstPageUrl', () => {
  it('adds the starting page or offset and keeps the query', () => {
    const byPage = RestPaginationSchema.parse({ type: 'page', size_param: 'per_page', size: 50 });
    const byOffset = RestPaginationSchema.parse({ type: 'offset' });

    expect(firstPageUrl(base, byPage).href).toBe(
      'https://api.example.com/items?status=open&page=1&per_page=50',
    );
    expect(firstPageUrl(base, byOffset).href).toBe(
      'https://api.example.com/items?status=open&offset=0&limit=100',
    );
  });
});

describe('nextPageUrl', () => {
  it('pages until a short or empty page', () => {
    const pagination = RestPaginationSchema.parse({ type: 'page', size_param: 'per_page', size: 2 });
    const first = firstPageUrl(base, pagination);

    expect(nextPageUrl(pagination, page({}, 2, first))?.searchParams.get('page')).toBe('2');
    expect(nextPageUrl(pagination, page({}, 1, first))).toBeUndefined();
  });

  it('advances the offset by the records read', () => {
    const pagination = RestPaginationSchema.parse({ type: 'offset', limit: 3 });
    const url = new URL('https://api.example.com/items?offset=6&limit=3');

    expect(nextPageUrl(pagination, page({}, 3, url))?.searchParams.get('offset')).toBe('9');
    expect(nextPageUrl(pagination, page({}, 2, url))).toBeUndefined();
  });

  it('stops on an absent, null or empty cursor', () => {
    const pagination = RestPaginationSchema.parse({ type: 'cursor', cursor_path: '$.meta.next' });

    expect(
      nextPageUrl(pagination, page({ meta: { next: 'abc' } }, 5, base))?.searchParams.get('cursor'),
    ).toBe('abc');
    expect(nextPageUrl(pagination, page({ meta: { next: null } }, 5, base))).toBeUndefined();
    expect(nextPageUrl(pagination, page({ meta: { next: '' } }, 5, base))).toBeUndefined();
    expect(nextPageUrl(pagination, page({}, 5, base))).toBeUndefined();
  });

  it('follows a relative next URL from the body and the Link header', () => {
    const nextUrl = RestPaginationSchema.parse({ type: 'next_url', next_url_path: '$.next' });
    const link = RestPaginationSchema.parse({ type: 'link_header' });

    expect(nextPageUrl(nextUrl, page({ next: '/items?page=2' }, 5, base))?.href).toBe(
      'https://api.example.com/items?page=2',
    );
    expect(
      nextPageUrl(link, page([], 5, base, { link: '<https://api.example.com/items?page=3>; rel="next"' }))
        ?.href,
    ).toBe('https://api.example.com/items?page=3');
  });
});
