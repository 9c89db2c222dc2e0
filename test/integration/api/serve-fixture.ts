/** `etl serve` started in-process on a free port over a temp data dir, with tokens and a checked client. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateLocalKey } from '../../../shared/auth/local-key.ts';
import { signLocalToken } from '../../../shared/auth/local-tokens.ts';
import type { Role } from '../../../shared/auth/principal.ts';
import { type RunningServe, startServe } from '../../../shared/serve/serve.ts';
import { ApiClient } from './api-client.ts';
import { type ResponseChecker, responseChecker } from './openapi-checker.ts';

export interface ServeFixture {
  readonly server: RunningServe;
  readonly scratch: string;
  readonly checker: ResponseChecker;
  /** A client with no token. */
  readonly anonymous: ApiClient;
  token(role: Role, org?: string, user?: string): Promise<string>;
  client(role: Role, org?: string): Promise<ApiClient>;
  close(): Promise<void>;
}

export async function startServeFixture(options: { triggers?: boolean } = {}): Promise<ServeFixture> {
  const scratch = await mkdtemp(join(tmpdir(), 'etl-api-'));
  const server = await startServe({
    dataDir: join(scratch, 'data'),
    port: 0,
    webDist: join(scratch, 'no-console'),
    execution: { retryDelayMs: 10 },
    ...(options.triggers === undefined ? {} : { triggers: options.triggers }),
    logger: { info: () => undefined, error: (message, extra) => console.error(message, extra) },
  });
  const document = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as Record<string, unknown>;
  const checker = await responseChecker(document);
  const key = await loadOrCreateLocalKey(server.services.dataDir);
  const token = (role: Role, org = 'acme', user = `${role}-user`) => signLocalToken(key, { user, org, role });
  const base = `${server.url}/api`;
  return {
    server,
    scratch,
    checker,
    anonymous: new ApiClient(base, checker),
    token,
    client: async (role, org) => new ApiClient(base, checker, await token(role, org)),
    async close() {
      await server.close();
      await rm(scratch, { recursive: true, force: true });
    },
  };
}
