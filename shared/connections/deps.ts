/**
 * What connection lookups need, built once per process from the handler
 * environment (rebuilt if it changes, as when tests restart emulators), like
 * `handlerDeps`: the metadata table, the tenant and the secret store.
 */
import { createDynamoDbClient } from '../aws/clients.ts';
import { readHandlerEnv } from '../aws/env.ts';
import { secretStoreFromEnv } from '../secrets/from-env.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { ConnectionStore } from './connection-store.ts';

export interface ConnectionDeps {
  readonly organization: string;
  readonly connections: ConnectionStore;
  readonly secrets: SecretStore;
}

let cached: { key: string; deps: ConnectionDeps } | undefined;

export function connectionDeps(): ConnectionDeps {
  const env = readHandlerEnv();
  const secrets = secretStoreFromEnv();
  const key = JSON.stringify(env);
  if (cached?.key !== key || cached.deps.secrets !== secrets) {
    cached = {
      key,
      deps: {
        organization: env.organization,
        connections: new ConnectionStore(createDynamoDbClient(env), env.metadataTable, env.organization),
        secrets,
      },
    };
  }
  return cached.deps;
}
