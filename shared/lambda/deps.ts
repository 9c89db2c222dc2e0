/**
 * Clients every handler shares, built once per process from the environment
 * (rebuilt only if the environment changes, as when tests restart emulators).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { createDynamoDbClient, createS3Client } from '../aws/clients.ts';
import { type HandlerEnv, readHandlerEnv } from '../aws/env.ts';
import { RunStore } from '../store/run-store.ts';

export interface HandlerDeps {
  readonly env: HandlerEnv;
  readonly s3: S3Client;
  readonly store: RunStore;
}

let cached: { key: string; deps: HandlerDeps } | undefined;

export function handlerDeps(): HandlerDeps {
  const env = readHandlerEnv();
  const key = JSON.stringify(env);
  if (cached?.key !== key) {
    const dynamo = createDynamoDbClient(env);
    cached = {
      key,
      deps: {
        env,
        s3: createS3Client(env),
        store: new RunStore(dynamo, env.metadataTable, env.organization),
      },
    };
  }
  return cached.deps;
}
