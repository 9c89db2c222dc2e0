/**
 * `etl connections add|list|test|remove` with `http` connections (and one
 * `amqp` connection to the local RabbitMQ), driven through the CLI against a
 * local server: the secret is read from stdin and
 * sent as a bearer token, basic password or API-key header; `test` does a
 * HEAD (GET when HEAD is refused) through the SSRF guard; the secret appears
 * in no output.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness.ts';
import { uniqueName } from '../sql-connectors-fixtures.ts';

const BIN = join(REPO_ROOT, 'shared/cli/bin.js');
const TOKEN = `Tok-${uniqueName('bearer')}`;
const PASSWORD = `Pw-${uniqueName('basic')}`;
const API_KEY = `Key-${uniqueName('apikey')}`;

let scratch: string;
let server: Server;
let baseUrl: string;
const seen: { method: string; path: string; headers: IncomingHttpHeaders }[] = [];
const transcript: string[] = [];

/** Runs the CLI without blocking this process: the fixture server answers from its event loop. */
function etl(args: string[], input = ''): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ETL_DATA_DIR: join(scratch, 'data') },
      timeout: 120_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (part: Buffer) => {
      stdout += part.toString('utf8');
    });
    child.stderr.on('data', (part: Buffer) => {
      stderr += part.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (status) => {
      transcript.push(stdout, stderr);
      resolve({ status, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

/** Accepts the three credentials on their paths; `/get-only` refuses HEAD like some API gateways. */
function answer(method: string, path: string, headers: IncomingHttpHeaders): number {
  if (path === '/get-only/' && method === 'HEAD') return 405;
  if (path.startsWith('/bearer/') || path === '/get-only/')
    return headers.authorization === `Bearer ${TOKEN}` ? 200 : 401;
  if (path.startsWith('/basic/')) {
    return headers.authorization === `Basic ${Buffer.from(`svc:${PASSWORD}`).toString('base64')}` ? 204 : 401;
  }
  if (path.startsWith('/key/')) return headers['x-partner-key'] === API_KEY ? 200 : 403;
  return 404;
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'etl-http-conn-'));
  server = createServer((request, response) => {
    const path = request.url ?? '';
    seen.push({ method: request.method ?? '', path, headers: request.headers });
    response.writeHead(answer(request.method ?? '', path, request.headers)).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await rm(scratch, { recursive: true, force: true });
});

describe('etl connections with http connections', () => {
  it('adds bearer, basic and API-key connections, lists them, and tests each with its credential', async () => {
    const added = [
      await etl(
        [
          'connections',
          'add',
          'api',
          '--type',
          'http',
          '--url',
          `${baseUrl}/bearer/`,
          '--allow-private-network',
        ],
        TOKEN,
      ),
      await etl(
        [
          'connections',
          'add',
          'legacy',
          '--type',
          'http',
          '--url',
          `${baseUrl}/basic/`,
          '--auth',
          'basic',
          '--user',
          'svc',
          '--allow-private-network',
        ],
        PASSWORD,
      ),
      await etl(
        [
          'connections',
          'add',
          'partner',
          '--type',
          'http',
          '--url',
          `${baseUrl}/key/`,
          '--auth',
          'api_key',
          '--header',
          'X-Partner-Key',
          '--allow-private-network',
        ],
        API_KEY,
      ),
    ];
    const listed = await etl(['connections', 'list']);
    const tested = [];
    for (const name of ['api', 'legacy', 'partner']) tested.push(await etl(['connections', 'test', name]));

    expect(added.map((result) => result.status)).toStrictEqual([0, 0, 0]);
    expect(listed.stdout).toMatch(/api\s+http\s+http:\/\/127\.0\.0\.1:\d+\/bearer\/ \(bearer auth\)/);
    expect(listed.stdout).toMatch(/legacy\s+http\s+.*\/basic\/ \(basic auth\)/);
    expect(tested.map((result) => result.status)).toStrictEqual([0, 0, 0]);
    expect(tested[0]?.stdout).toMatch(
      /connection api ok: HEAD http:\/\/127\.0\.0\.1:\d+\/bearer\/ answered HTTP 200/,
    );
    expect(tested[1]?.stdout).toMatch(/answered HTTP 204/);
    expect(seen.filter((request) => request.method === 'HEAD').map((request) => request.path)).toStrictEqual([
      '/bearer/',
      '/basic/',
      '/key/',
    ]);
  });

  it('falls back to GET when HEAD is refused, and fails on rejected credentials', async () => {
    await etl(
      [
        'connections',
        'add',
        'gateway',
        '--type',
        'http',
        '--url',
        `${baseUrl}/get-only/`,
        '--allow-private-network',
      ],
      TOKEN,
    );
    await etl(
      [
        'connections',
        'add',
        'stale',
        '--type',
        'http',
        '--url',
        `${baseUrl}/bearer/`,
        '--allow-private-network',
      ],
      'expired',
    );

    const fallback = await etl(['connections', 'test', 'gateway']);
    const rejected = await etl(['connections', 'test', 'stale']);

    expect(fallback.status).toBe(0);
    expect(fallback.stdout).toMatch(/ok: GET .*\/get-only\/ answered HTTP 200/);
    expect(rejected.status).toBe(1);
    expect(rejected.stderr).toMatch(
      /connection stale failed: HEAD .* answered HTTP 401 \(the server refused the credentials\)/,
    );
  });

  it('refuses private addresses unless allowed, and the metadata address always, before any request', async () => {
    const before = seen.length;
    await etl(['connections', 'add', 'internal', '--type', 'http', '--url', `${baseUrl}/bearer/`], TOKEN);
    await etl([
      'connections',
      'add',
      'imds',
      '--type',
      'http',
      '--url',
      'http://169.254.169.254/latest/',
      '--auth',
      'none',
      '--allow-private-network',
    ]);

    const internal = await etl(['connections', 'test', 'internal']);
    const imds = await etl(['connections', 'test', 'imds']);

    expect(internal.status).not.toBe(0);
    expect(internal.stderr).toMatch(/private or loopback address; set allow_private_network: true/);
    expect(imds.status).not.toBe(0);
    expect(imds.stderr).toMatch(
      /169\.254\.169\.254, a cloud metadata address \(never allowed\); no connection was made/,
    );
    expect(seen.length).toBe(before);
  });

  it('refuses settings of the wrong type or missing ones, naming the flag', async () => {
    const basicWithoutUser = await etl(
      ['connections', 'add', 'x', '--type', 'http', '--url', baseUrl, '--auth', 'basic'],
      'pw',
    );
    const urlOnMysql = await etl(
      [
        'connections',
        'add',
        'y',
        '--type',
        'mysql',
        '--host',
        'h',
        '--database',
        'd',
        '--user',
        'u',
        '--url',
        baseUrl,
      ],
      'pw',
    );
    const hostOnHttp = await etl(
      ['connections', 'add', 'z', '--type', 'http', '--url', baseUrl, '--host', 'h'],
      'pw',
    );

    expect(basicWithoutUser.status).not.toBe(0);
    expect(basicWithoutUser.stderr).toMatch(/--user: basic auth needs a user name/);
    expect(urlOnMysql.stderr).toMatch(/--url: not a setting of mysql connections/);
    expect(hostOnHttp.stderr).toMatch(/--host: not a setting of http connections/);
  });

  it('adds and tests an amqp connection to the RabbitMQ broker, its password from stdin', async () => {
    const added = await etl(
      ['connections', 'add', 'mq', '--type', 'amqp', '--host', '127.0.0.1', '--user', 'guest'],
      'guest',
    );
    const tested = await etl(['connections', 'test', 'mq']);

    expect(added.status, added.stderr).toBe(0);
    expect(tested.stdout).toMatch(/connection mq ok: RabbitMQ [\d.]+ at amqp:\/\/127\.0\.0\.1:5672\//);
  });

  it('removes a connection, and never printed a secret', async () => {
    const removed = await etl(['connections', 'remove', 'partner']);
    const tested = await etl(['connections', 'test', 'partner']);

    expect(removed.status).toBe(0);
    expect(tested.status).toBe(1);
    const output = transcript.join('\n');
    for (const secret of [TOKEN, PASSWORD, API_KEY]) expect(output).not.toContain(secret);
  });
});
