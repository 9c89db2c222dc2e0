/**
 * `etl serve` itself: the console build at / with single-page-app fallback,
 * API paths left to the API, loopback only; and `etl token` printing a
 * token the server accepts.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServe, startServe } from '../../../shared/serve/serve.ts';
import { REPO_ROOT } from '../harness.ts';

/** Runs the CLI without blocking this process (the server under test shares its event loop). */
function etl(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [join(REPO_ROOT, 'shared/cli/bin.js'), ...args], (error, stdout, stderr) =>
      done({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

let scratch: string;
let server: RunningServe;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'etl-serve-'));
  const web = join(scratch, 'web');
  await mkdir(join(web, 'assets'), { recursive: true });
  await writeFile(join(web, 'index.html'), '<!doctype html><title>ETL console</title><div id="root"></div>');
  await writeFile(join(web, 'assets', 'app.js'), 'console.log("console");');
  server = await startServe({ dataDir: join(scratch, 'data'), port: 0, webDist: web, triggers: false });
});
afterAll(async () => {
  await server.close();
  await rm(scratch, { recursive: true, force: true });
});

describe('etl serve', () => {
  it('listens on loopback only', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('serves the console build, with index.html for its client-side routes', async () => {
    expect(server.consoleServed).toBe(true);
    const index = await fetch(`${server.url}/`);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('ETL console');
    const asset = await fetch(`${server.url}/assets/app.js`);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    const route = await fetch(`${server.url}/pipelines/birdstrikes/runs`);
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('ETL console');
  });

  it('leaves /api paths to the API, unknown ones answered as problems', async () => {
    const unknown = await fetch(`${server.url}/api/nowhere`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/problem+json');
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });

  it('accepts the token `etl token` prints for the same data dir', async () => {
    const cli = await etl(
      'token',
      '--role',
      'admin',
      '--org',
      'acme',
      '--user',
      'alice',
      '--data-dir',
      server.services.dataDir,
    );
    expect(cli.status, cli.stderr).toBe(0);
    const token = cli.stdout.trim();
    expect(token.split('.')).toHaveLength(3);
    const me = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(await me.json()).toStrictEqual({ user: 'alice', org: 'acme', role: 'admin' });

    const refused = await etl('token', '--role', 'root', '--org', 'acme', '--data-dir', scratch);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/--role must be one of admin, developer, viewer/);
  });
});
