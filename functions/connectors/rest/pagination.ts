/**
 * Which request follows a page, per pagination style. Each style returns
 * undefined when the page was the last one.
 */
import { DataError } from '../../../shared/errors.ts';
import type { HttpResponse } from '../http-common/http-client.ts';
import { readJsonPath } from '../http-common/json-path.ts';
import { parseNextLink } from '../http-common/link-header.ts';
import type { RestPagination } from './config.ts';

function withParams(url: URL, params: Readonly<Record<string, string | number>>): URL {
  const next = new URL(url);
  for (const [name, value] of Object.entries(params)) next.searchParams.set(name, String(value));
  return next;
}

/** The first page's URL: the configured one with the style's starting parameters. */
export function firstPageUrl(url: URL, pagination: RestPagination): URL {
  switch (pagination.type) {
    case 'page':
      return withParams(url, {
        [pagination.param]: pagination.first_page,
        ...(pagination.size_param !== undefined && pagination.size !== undefined
          ? { [pagination.size_param]: pagination.size }
          : {}),
      });
    case 'offset':
      return withParams(url, { [pagination.param]: 0, [pagination.limit_param]: pagination.limit });
    default:
      return url;
  }
}

export interface PageState {
  /** The URL the page was requested with (before redirects). */
  readonly requestUrl: URL;
  readonly response: HttpResponse;
  readonly records: number;
}

/** The next page's URL, or undefined when `page` was the last. */
export function nextPageUrl(pagination: RestPagination, page: PageState): URL | undefined {
  const { requestUrl, response, records } = page;
  switch (pagination.type) {
    case 'none':
      return undefined;
    case 'page': {
      if (records === 0) return undefined;
      if (pagination.size !== undefined && records < pagination.size) return undefined;
      const current = Number(requestUrl.searchParams.get(pagination.param) ?? pagination.first_page);
      return withParams(requestUrl, { [pagination.param]: current + 1 });
    }
    case 'offset': {
      if (records < pagination.limit) return undefined;
      const current = Number(requestUrl.searchParams.get(pagination.param) ?? 0);
      return withParams(requestUrl, { [pagination.param]: current + records });
    }
    case 'cursor': {
      const cursor = readJsonPath(response.body, pagination.cursor_path);
      if (cursor === undefined || cursor === null || cursor === '' || cursor === false) return undefined;
      if (typeof cursor !== 'string' && typeof cursor !== 'number') {
        throw new DataError(`the cursor at ${pagination.cursor_path} is not a string or number`);
      }
      return withParams(requestUrl, { [pagination.param]: cursor });
    }
    case 'link_header':
      return parseNextLink(response.headers.get('link'), response.url);
    case 'next_url': {
      const next = readJsonPath(response.body, pagination.next_url_path);
      if (next === undefined || next === null || next === '') return undefined;
      if (typeof next !== 'string')
        throw new DataError(`the next URL at ${pagination.next_url_path} is not a string`);
      return new URL(next, response.url);
    }
  }
}
