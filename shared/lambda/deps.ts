/**
 * Clients every handler shares, built once per process from the environment
 * (rebuilt only if the environment changes, as when tests restart emulators),
 * and a run store per organization: one process serves runs of several
 * tenants (`etl serve`, a warm Lambda), and each run writes under its own.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbClient, createS3Client } from '../aws/clients.ts';
import { type HandlerEnv, readHandlerEnv } from '../aws/env.ts';
import { RunStore } from '../store/run-store.ts';

export interface HandlerDeps {
  readonly env: HandlerEnv;
  readonly s3: S3Client;
  /** The tenant `store` reads and writes under. */
  readonly organization: string;
  readonly store: RunStore;
  /** The metadata table's client, for stores other than runs (lineage); the process's one. */
  readonly dynamo: DynamoDBDocumentClient;
}

interface ProcessClients {
  readonly key: string;
  readonly env: HandlerEnv;
  readonly s3: S3Client;
  readonly dynamo: DynamoDBDocumentClient;
  readonly byOrganization: Map<string, HandlerDeps>;
}

let cached: ProcessClients | undefined;

function processClients(): ProcessClients {
  const env = readHandlerEnv();
  const key = JSON.stringify(env);
  if (cached?.key !== key) {
    cached = {
      key,
      env,
      s3: createS3Client(env),
      dynamo: createDynamoDbClient(env),
      byOrganization: new Map(),
    };
  }
  return cached;
}

/**
 * Dependencies for a run of `organization` (its `run.organization`); without
 * one, the deployment's default tenant (`ETL_ORGANIZATION`), which only
 * commands working outside a run (the CLI's listings) should rely on.
 */
export function handlerDeps(organization?: string): HandlerDeps {
  const clients = processClients();
  const tenant = organization ?? clients.env.organization;
  let deps = clients.byOrganization.get(tenant);
  if (deps === undefined) {
    deps = {
      env: clients.env,
      s3: clients.s3,
      organization: tenant,
      store: new RunStore(clients.dynamo, clients.env.metadataTable, tenant),
      dynamo: clients.dynamo,
    };
    clients.byOrganization.set(tenant, deps);
  }
  return deps;
}
