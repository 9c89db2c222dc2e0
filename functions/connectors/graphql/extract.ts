/** The `graphql` extractor's kernel: one chunk, pages followed by `pageInfo.endCursor`. */
import { ConfigError, DataError } from '../../../shared/errors.ts';
import type { ExtractorKernel } from '../../../shared/modules/kernels.ts';
import { readJsonPath, readRecords } from '../http-common/json-path.ts';
import { pagedApiKernel } from '../http-common/paged-kernel.ts';
import { type HttpSession, type HttpSessionDeps, tooManyPages } from '../http-common/session.ts';
import type { GraphqlConfig } from './config.ts';

/** GraphQL reports query errors with HTTP 200 and an `errors` array: they are config errors, not data. */
function checkErrors(body: unknown): void {
  const errors = readJsonPath(body, '$.errors');
  if (!Array.isArray(errors) || errors.length === 0) return;
  const messages = errors.map((error) => {
    const message = readJsonPath(error, '$.message');
    return typeof message === 'string' ? message : JSON.stringify(error);
  });
  throw new ConfigError(`the GraphQL query failed: ${messages.join('; ').slice(0, 500)}`);
}

function nextCursor(body: unknown, pageInfoPath: string): string | undefined {
  const pageInfo = readJsonPath(body, pageInfoPath);
  if (pageInfo === undefined || pageInfo === null) {
    throw new DataError(`no pageInfo at ${pageInfoPath}; ask for pageInfo { hasNextPage endCursor } there`);
  }
  if (readJsonPath(pageInfo, '$.hasNextPage') !== true) return undefined;
  const cursor = readJsonPath(pageInfo, '$.endCursor');
  if (typeof cursor !== 'string' || cursor === '') {
    throw new DataError(`hasNextPage is true but ${pageInfoPath}.endCursor is not a cursor`);
  }
  return cursor;
}

export async function* graphqlRecordPages(
  config: GraphqlConfig,
  session: HttpSession,
): AsyncGenerator<readonly unknown[]> {
  const url = new URL(config.url);
  let cursor: string | null = null;
  const seen = new Set<string>();
  for (let pages = 0; ; pages++) {
    if (pages >= session.maxPages) throw tooManyPages(session.maxPages);
    const variables = { ...config.variables, [config.cursor_variable]: cursor };
    const response = await session.send(url, 'POST', { query: config.query, variables });
    checkErrors(response.body);
    yield readRecords(response.body, config.records_path);
    if (config.page_info_path === undefined) return;
    const next = nextCursor(response.body, config.page_info_path);
    if (next === undefined || seen.has(next)) return;
    seen.add(next);
    cursor = next;
  }
}

export function graphqlKernel(deps: HttpSessionDeps = {}): ExtractorKernel<GraphqlConfig> {
  return pagedApiKernel(graphqlRecordPages, deps);
}
