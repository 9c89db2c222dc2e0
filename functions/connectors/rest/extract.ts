/** The `rest` extractor's kernel: one chunk, every page fetched in order and streamed to Parquet. */
import type { ExtractorKernel } from '../../../shared/modules/kernels.ts';
import { readRecords } from '../http-common/json-path.ts';
import { pagedApiKernel } from '../http-common/paged-kernel.ts';
import { type HttpSession, type HttpSessionDeps, tooManyPages } from '../http-common/session.ts';
import type { RestConfig } from './config.ts';
import { firstPageUrl, nextPageUrl } from './pagination.ts';

/** Yields each page's records; the next page is requested only once this one is consumed. */
export async function* restRecordPages(
  config: RestConfig,
  session: HttpSession,
): AsyncGenerator<readonly unknown[]> {
  const base = new URL(config.url);
  for (const [name, value] of Object.entries(config.query ?? {})) base.searchParams.set(name, String(value));
  let url: URL | undefined = firstPageUrl(base, config.pagination);
  const seen = new Set<string>();
  for (let pages = 0; url !== undefined; pages++) {
    if (pages >= session.maxPages) throw tooManyPages(session.maxPages);
    // A server that hands back the same next link forever would otherwise loop until max_pages.
    if (seen.has(url.href)) return;
    seen.add(url.href);
    const response = await session.send(
      url,
      config.method,
      config.method === 'POST' ? config.body : undefined,
    );
    const records = readRecords(response.body, config.records_path);
    yield records;
    url = nextPageUrl(config.pagination, { requestUrl: url, response, records: records.length });
  }
}

export function restKernel(deps: HttpSessionDeps = {}): ExtractorKernel<RestConfig> {
  return pagedApiKernel(restRecordPages, deps);
}
