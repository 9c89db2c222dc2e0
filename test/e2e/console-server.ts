/** `etl serve` started in-process for the browser tests: a built console, a temp data dir, local tokens. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadOrCreateLocalKey } from '../../shared/auth/local-key.ts';
import { signLocalToken } from '../../shared/auth/local-tokens.ts';
import { uploadFile } from '../../shared/aws/s3-objects.ts';
import { ensureBucket } from '../../shared/runtime/local-services.ts';
import { startServe } from '../../shared/serve/serve.ts';
import { REPO_ROOT } from '../integration/harness.ts';

export { queryDirectly, REPO_ROOT, SHARED_DATA } from '../integration/harness.ts';

export const WEB_DIST = join(REPO_ROOT, 'web/dist');

export interface ConsoleServer {
  readonly url: string;
  token(role: 'admin' | 'developer' | 'viewer'): Promise<string>;
  putObject(path: string, bucket: string, key: string): Promise<void>;
  close(): Promise<void>;
}

/** The production build, exactly as `npm run build` makes it. */
export async function buildConsole(): Promise<void> {
  await promisify(execFile)(
    join(REPO_ROOT, 'node_modules/.bin/vite'),
    ['build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
    { cwd: REPO_ROOT },
  );
}

export async function startConsoleServer(): Promise<ConsoleServer> {
  const scratch = await mkdtemp(join(tmpdir(), 'etl-e2e-'));
  const dataDir = join(scratch, 'data');
  const serve = await startServe({
    dataDir,
    port: 0,
    webDist: WEB_DIST,
    triggers: false,
    logger: quietLogger,
  });
  if (!serve.consoleServed) {
    await serve.close();
    throw new Error(`etl serve found no console at ${WEB_DIST}: the build did not produce index.html`);
  }
  const key = await loadOrCreateLocalKey(dataDir);
  return {
    url: serve.url,
    token: (role) => signLocalToken(key, { user: `e2e-${role}`, org: 'acme', role }),
    async putObject(path, bucket, objectKey) {
      await ensureBucket(serve.services.s3, bucket);
      await uploadFile(serve.services.s3, path, bucket, objectKey);
    },
    async close() {
      await serve.close();
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

const quietLogger = {
  info: () => {},
  error: (message: string, extra?: unknown) => console.error(message, extra),
};
