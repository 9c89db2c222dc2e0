/**
 * The `rest` and `graphql` extractors against a real HTTP fixture server on
 * 127.0.0.1: every pagination style yields every record exactly once,
 * 429 (Retry-After) and 5xx are retried, credentials reach the server, the
 * SSRF guard refuses metadata addresses before any connection, and a
 * pipeline runs end to end on the local runtime into `s3-parquet`.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GraphqlConfigSchema } from '../../functions/connectors/graphql/config.ts';
import { graphqlKernel } from '../../functions/connectors/graphql/extract.ts';
import { SsrfBlockedError } from '../../functions/connectors/http-common/errors.ts';
import { type HttpSessionDeps, openHttpSession } from '../../functions/connectors/http-common/session.ts';
import { pinnedTransport } from '../../functions/connectors/http-common/transport.ts';
import { RestConfigSchema } from '../../functions/connectors/rest/config.ts';
import { restKernel, restRecordPages } from '../../functions/connectors/rest/extract.ts';
import { connectionDeps } from '../../shared/connections/deps.ts';
import { queryRows, withDuckDb } from '../../shared/duckdb/engine.ts';
import { ConfigError, SourceNotFoundError, TransientError } from '../../shared/errors.ts';
import type { ExtractorKernel } from '../../shared/modules/kernels.ts';
import { runPipelineLocally } from '../../shared/runtime/run-local.ts';
import { connectionSecretName } from '../../shared/secrets/secret-store.ts';
import { PipelineSchema } from '../../shared/spec/schema.ts';
import { queryDataset, startTestEnvironment, type TestEnvironment } from './harness.ts';

const ITEMS = Array.from({ length: 25 }, (_, i) => ({
  id: i + 1,
  name: `item ${i + 1}`,
  score: (i + 1) * 1.5,
  active: i % 2 === 0,
  tags: i % 3 === 0 ? null : ['a', `t${i % 3}`],
}));
const PAGE = 10;
const TOKEN = 'tok-7f3a9c1e-secret-value';

/** The fixture API: one route per pagination style and failure mode; `hits` counts requests per route and key. */
class FixtureApi {
  readonly hits = new Map<string, number>();
  private server: Server | undefined;
  base = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private count(key: string): number {
    const n = (this.hits.get(key) ?? 0) + 1;
    this.hits.set(key, n);
    return n;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.base);
    const p = url.searchParams;
    const n = this.count(`${url.pathname}:${p.get('key') ?? ''}`);
    const json = (body: unknown, headers: Record<string, string> = {}, status = 200) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    switch (url.pathname) {
      case '/page': {
        const page = Number(p.get('page'));
        const size = Number(p.get('per_page') ?? PAGE);
        return json({ data: { items: ITEMS.slice((page - 1) * size, page * size) } });
      }
      case '/offset': {
        const offset = Number(p.get('offset'));
        return json({ items: ITEMS.slice(offset, offset + Number(p.get('limit'))) });
      }
      case '/cursor': {
        const cursor = p.get('cursor');
        const from = cursor === null ? 0 : Number(Buffer.from(cursor, 'base64url').toString());
        const next =
          from + PAGE < ITEMS.length ? Buffer.from(String(from + PAGE)).toString('base64url') : null;
        return json({ results: ITEMS.slice(from, from + PAGE), meta: { next_cursor: next } });
      }
      case '/secure': {
        if (req.headers.authorization !== `Bearer ${TOKEN}`)
          return json({ message: 'unauthorized' }, {}, 401);
        const cursor = Number(p.get('cursor') ?? 0);
        const next = cursor + PAGE < ITEMS.length ? cursor + PAGE : null;
        return json({ results: ITEMS.slice(cursor, cursor + PAGE), meta: { next_cursor: next } });
      }
      case '/link': {
        const page = Number(p.get('page') ?? 1);
        const links = [`</link?page=1>; rel="first"`];
        if (page * PAGE < ITEMS.length) links.unshift(`<${this.base}/link?page=${page + 1}>; rel="next"`);
        return json(ITEMS.slice((page - 1) * PAGE, page * PAGE), { link: links.join(', ') });
      }
      case '/next': {
        const page = Number(p.get('page') ?? 1);
        const next = page * PAGE < ITEMS.length ? `/next?page=${page + 1}` : null;
        return json({ items: ITEMS.slice((page - 1) * PAGE, page * PAGE), links: { next } });
      }
      case '/throttled':
        return n === 1
          ? json({ message: 'slow down' }, { 'retry-after': '1' }, 429)
          : json(ITEMS.slice(0, 3));
      case '/flaky':
        return n === 1 ? json({ message: 'boom' }, {}, 500) : json(ITEMS.slice(0, 3));
      case '/down':
        return json({ message: 'down' }, {}, 503);
      case '/missing':
        return json({ message: 'no such thing' }, {}, 404);
      case '/to-other-origin':
        res.writeHead(302, { location: `${this.base.replace('127.0.0.1', 'localhost')}/echo-auth` });
        return void res.end();
      case '/echo-auth':
        return json([{ id: 1, authorization: req.headers.authorization ?? null }]);
      case '/to-metadata':
        res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/iam/' });
        return void res.end();
      case '/graphql': {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const { variables } = JSON.parse(Buffer.concat(chunks).toString()) as {
          variables: { after: string | null; first: number };
        };
        const from = variables.after === null ? 0 : Number(variables.after);
        const to = from + variables.first;
        return json({
          data: {
            catalog: {
              items: {
                nodes: ITEMS.slice(from, to),
                pageInfo: { hasNextPage: to < ITEMS.length, endCursor: String(to) },
              },
            },
          },
        });
      }
      default:
        return json({ message: 'unknown route' }, {}, 404);
    }
  }
}

const api = new FixtureApi();
const sleeps: number[] = [];
const deps: HttpSessionDeps = {
  sleep: async (ms) => {
    sleeps.push(ms);
  },
  backoffBaseMs: 10,
};

async function readAll(
  config: Record<string, unknown>,
  sessionDeps: HttpSessionDeps = deps,
): Promise<number[]> {
  const parsed = RestConfigSchema.parse({ allow_private_network: true, ...config });
  const ids: number[] = [];
  for await (const page of restRecordPages(parsed, await openHttpSession(parsed, sessionDeps))) {
    for (const record of page) ids.push((record as { id: number }).id);
  }
  return ids;
}

const ALL_IDS = ITEMS.map((item) => item.id);

beforeAll(async () => {
  await api.start();
});
afterAll(async () => {
  await api.close();
});

describe('rest pagination', () => {
  it.each([
    [
      'page number (with size)',
      {
        url: '/page',
        records_path: '$.data.items',
        pagination: { type: 'page', size_param: 'per_page', size: PAGE },
      },
    ],
    [
      'page number (until empty)',
      { url: '/page', records_path: '$.data.items', pagination: { type: 'page' } },
    ],
    ['offset', { url: '/offset', records_path: '$.items', pagination: { type: 'offset', limit: 7 } }],
    [
      'cursor',
      {
        url: '/cursor',
        records_path: '$.results',
        pagination: { type: 'cursor', cursor_path: '$.meta.next_cursor' },
      },
    ],
    ['Link header', { url: '/link', pagination: { type: 'link_header' } }],
    [
      'next URL in the body',
      {
        url: '/next',
        records_path: '$.items',
        pagination: { type: 'next_url', next_url_path: '$.links.next' },
      },
    ],
  ])('%s yields every record exactly once', async (_style, config) => {
    const ids = await readAll({ ...config, url: `${api.base}${config.url}` });

    expect(ids).toStrictEqual(ALL_IDS);
  });

  it('fails when pages exceed max_pages', async () => {
    await expect(
      readAll({
        url: `${api.base}/page`,
        records_path: '$.data.items',
        pagination: { type: 'page' },
        max_pages: 2,
      }),
    ).rejects.toThrow(/max_pages/);
  });
});

describe('rest retries', () => {
  it('waits out a 429 as Retry-After asks, then succeeds', async () => {
    sleeps.length = 0;

    const ids = await readAll({ url: `${api.base}/throttled?key=a` });

    expect(ids).toStrictEqual([1, 2, 3]);
    expect(api.hits.get('/throttled:a')).toBe(2);
    expect(sleeps).toStrictEqual([1000]);
  });

  it('really sleeps on Retry-After without an injected clock', async () => {
    const started = performance.now();

    const ids = await readAll({ url: `${api.base}/throttled?key=real` }, {});

    expect(ids).toStrictEqual([1, 2, 3]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('retries a 500 with backoff, then succeeds', async () => {
    sleeps.length = 0;

    const ids = await readAll({ url: `${api.base}/flaky?key=b` });

    expect(ids).toStrictEqual([1, 2, 3]);
    expect(api.hits.get('/flaky:b')).toBe(2);
    expect(sleeps).toHaveLength(1);
  });

  it('fails as transient after max_attempts on a 503', async () => {
    const error = await readAll({ url: `${api.base}/down?key=c`, max_attempts: 3 }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toMatch(/HTTP 503/);
    expect(api.hits.get('/down:c')).toBe(3);
  });

  it('fails at once, without retrying, on a 404', async () => {
    await expect(readAll({ url: `${api.base}/missing?key=d` })).rejects.toThrow(SourceNotFoundError);
    expect(api.hits.get('/missing:d')).toBe(1);
  });
});

describe('rest SSRF guard', () => {
  it('refuses 169.254.169.254 with a clear error before any connection', async () => {
    const transportSpy = vi.fn(pinnedTransport);
    const started = performance.now();

    const error = await readAll(
      { url: 'http://169.254.169.254/latest/meta-data/iam/security-credentials/' },
      { transport: transportSpy },
    ).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SsrfBlockedError);
    expect((error as Error).message).toMatch(/169\.254\.169\.254.*cloud metadata.*no connection was made/);
    expect(transportSpy).not.toHaveBeenCalled();
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('refuses a redirect to the metadata address', async () => {
    const transportSpy = vi.fn(pinnedTransport);

    await expect(readAll({ url: `${api.base}/to-metadata` }, { transport: transportSpy })).rejects.toThrow(
      SsrfBlockedError,
    );
    expect(transportSpy).toHaveBeenCalledTimes(1);
  });

  it('connects to the address it checked, not to a second DNS answer', async () => {
    // `api.fixture.test` exists only in this lookup: a fresh resolution at connect time would fail.
    const lookup = vi.fn(async () => [{ address: '127.0.0.1', family: 4 }]);
    const port = new URL(api.base).port;

    const ids = await readAll(
      { url: `http://api.fixture.test:${port}/link`, pagination: { type: 'link_header' } },
      { ...deps, lookup },
    );

    expect(ids.length).toBeGreaterThan(0);
    expect(lookup).toHaveBeenCalledWith('api.fixture.test');
  });

  it('does not send credentials after a redirect to another origin', async () => {
    const config = RestConfigSchema.parse({
      url: `${api.base}/to-other-origin`,
      auth: { type: 'bearer', secret: 'api-token' },
      allow_private_network: true,
    });
    const session = await openHttpSession(config, { ...deps, readSecret: async () => TOKEN });

    const pages: (readonly unknown[])[] = [];
    for await (const page of restRecordPages(config, session)) pages.push(page);

    expect(pages).toStrictEqual([[{ id: 1, authorization: null }]]);
  });

  it('refuses the loopback fixture unless allow_private_network is set', async () => {
    const transportSpy = vi.fn(pinnedTransport);

    await expect(
      readAll({ url: `${api.base}/page`, allow_private_network: false }, { transport: transportSpy }),
    ).rejects.toThrow(/private or loopback/);
    expect(transportSpy).not.toHaveBeenCalled();
  });
});

/** Runs a kernel's single chunk into Parquet and reads it back. */
async function extractToRows<T>(
  kernel: ExtractorKernel<T>,
  config: T,
): Promise<{ result: unknown; rows: Record<string, unknown>[] }> {
  const workDir = await mkdtemp(join(tmpdir(), 'etl-api-'));
  try {
    return await withDuckDb({ workDir }, async (connection) => {
      const outputPath = join(workDir, 'out.parquet');
      const io = { connection, workDir, outputPath } as unknown as Parameters<
        ExtractorKernel<T>['extract']
      >[2];
      const result = await kernel.extract(config, { index: 0 }, io);
      const rows = await queryRows(
        connection,
        `SELECT id::INTEGER AS id, typeof(score) AS score_type, typeof(active) AS active_type, typeof(tags) AS tags_type, name FROM read_parquet('${outputPath}') ORDER BY id`,
      );
      return { result, rows };
    });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

describe('rest kernel', () => {
  it('writes every record as typed Parquet columns', async () => {
    const config = RestConfigSchema.parse({
      url: `${api.base}/cursor`,
      records_path: '$.results',
      pagination: { type: 'cursor', cursor_path: '$.meta.next_cursor' },
      allow_private_network: true,
    });

    const { result, rows } = await extractToRows(restKernel(deps), config);

    expect(result).toStrictEqual({ rowsIn: 25, rowsOut: 25, rowsRejected: 0 });
    expect(rows.map((row) => row.id)).toStrictEqual(ALL_IDS);
    expect(rows[0]).toMatchObject({
      score_type: 'DOUBLE',
      active_type: 'BOOLEAN',
      tags_type: 'VARCHAR[]',
      name: 'item 1',
    });
  });

  it('fails with 401 as a config error naming the URL but not the credential', async () => {
    const config = RestConfigSchema.parse({
      url: `${api.base}/secure?key=e`,
      auth: { type: 'bearer', secret: 'api-token' },
      allow_private_network: true,
    });

    const error = await extractToRows(
      restKernel({ ...deps, readSecret: async () => 'wrong-token-value' }),
      config,
    ).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/\/secure answered HTTP 401/);
    expect((error as Error).message).not.toContain('wrong-token-value');
  });
});

describe('graphql kernel', () => {
  it('follows pageInfo.endCursor until hasNextPage is false', async () => {
    const config = GraphqlConfigSchema.parse({
      url: `${api.base}/graphql`,
      query:
        'query Items($first: Int!, $after: String) { catalog { items(first: $first, after: $after) { nodes { id name score active tags } pageInfo { hasNextPage endCursor } } } }',
      variables: { first: 7 },
      records_path: '$.data.catalog.items.nodes',
      page_info_path: '$.data.catalog.items.pageInfo',
      allow_private_network: true,
    });

    const { result, rows } = await extractToRows(graphqlKernel(deps), config);

    expect(result).toStrictEqual({ rowsIn: 25, rowsOut: 25, rowsRejected: 0 });
    expect(rows.map((row) => row.id)).toStrictEqual(ALL_IDS);
    expect(api.hits.get('/graphql:')).toBe(4);
  });
});

describe('rest pipeline on the local runtime', () => {
  let env: TestEnvironment;

  beforeAll(async () => {
    env = await startTestEnvironment();
  });
  afterAll(async () => {
    await env?.close();
  });

  it('reads an authenticated, cursor-paginated API into s3-parquet', async () => {
    const secrets = connectionDeps();
    await secrets.secrets.put(connectionSecretName(secrets.organization, 'api-token'), TOKEN);
    const pipeline = PipelineSchema.parse({
      name: 'api-items',
      nodes: [
        {
          id: 'items',
          type: 'extractor',
          module: 'rest',
          config: {
            url: `${api.base}/secure`,
            auth: { type: 'bearer', secret: 'api-token' },
            records_path: '$.results',
            pagination: { type: 'cursor', cursor_path: '$.meta.next_cursor' },
            allow_private_network: true,
          },
        },
        { id: 'lake', type: 'loader', module: 's3-parquet', config: { bucket: 'lake', prefix: 'api/' } },
      ],
      edges: [{ source: 'items', target: 'lake' }],
      execution: { retries: { max_attempts: 0 } },
    });

    const result = await runPipelineLocally(pipeline, env.services);

    expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
    expect(result.nodes.find((node) => node.nodeId === 'items')?.rowsOut).toBe(25);
    expect(await readFile(result.eventLogPath, 'utf8')).not.toContain(TOKEN);
    const [summary] = await queryDataset(
      env,
      'lake',
      'api/',
      'SELECT count(*)::INTEGER AS n, count(DISTINCT id)::INTEGER AS ids, sum(score)::DOUBLE AS total FROM dataset',
    );
    expect(summary).toStrictEqual({
      n: 25,
      ids: 25,
      total: ITEMS.reduce((sum, item) => sum + item.score, 0),
    });
  });
});
