/**
 * What connection lookups need, built once per process from the handler
 * environment (rebuilt if it changes, as when tests restart emulators), like
 * `handlerDeps`: the metadata table, the tenant and the secret store.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbClient } from '../aws/clients.ts';
import { readHandlerEnv } from '../aws/env.ts';
import { currentRunOrganization } from '../lambda/run-organization.ts';
import { secretStoreFromEnv } from '../secrets/from-env.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { ConnectionStore } from './connection-store.ts';

export interface ConnectionDeps {
  readonly organization: string;
  readonly connections: ConnectionStore;
  readonly secrets: SecretStore;
}

let cached:
  | {
      key: string;
      client: DynamoDBDocumentClient;
      secrets: SecretStore;
      byOrganization: Map<string, ConnectionDeps>;
    }
  | undefined;

/**
 * Lookups for `organization`; by default the tenant of the run the calling
 * node task works for (connectors know only a connection's name), else the
 * deployment's default tenant (the CLI).
 */
export function connectionDeps(organization?: string): ConnectionDeps {
  const env = readHandlerEnv();
  const secrets = secretStoreFromEnv();
  const key = JSON.stringify(env);
  if (cached?.key !== key || cached.secrets !== secrets) {
    cached = { key, client: createDynamoDbClient(env), secrets, byOrganization: new Map() };
  }
  const tenant = organization ?? currentRunOrganization() ?? env.organization;
  let deps = cached.byOrganization.get(tenant);
  if (deps === undefined) {
    deps = {
      organization: tenant,
      connections: new ConnectionStore(cached.client, env.metadataTable, tenant),
      secrets,
    };
    cached.byOrganization.set(tenant, deps);
  }
  return deps;
}
