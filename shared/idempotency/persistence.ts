/**
 * Where Powertools Idempotency keeps its records: the platform's one
 * metadata table, not a table of its own.
 *
 * Why the single table: every function that guards an effect already reads
 * and writes it (no new grant, no new resource to deploy), its TTL attribute
 * `expiresAt` expires the records, and the embedded runtime creates it in
 * dynalite, so the local code path is the cloud's with only the endpoint
 * changed. A dedicated table would add a resource, a grant per function and
 * a second table for the local services to create, for no access pattern the
 * single table cannot serve.
 *
 * | item        | pk                                   | sk                  |
 * |-------------|--------------------------------------|---------------------|
 * | idempotency | `ORG#<org>#IDEMPOTENCY#<effect>`     | `<effect>#<digest>` |
 *
 * Under the organization's prefix like every item a function writes, so the
 * IAM tenant condition on `dynamodb:LeadingKeys` covers it. One partition
 * per organization and effect (Powertools' "static partition key" mode): the
 * guarded effects happen a few times per run (one Finalize, one commit per
 * loader), far below a partition's write capacity. The digest is an MD5 of
 * the occurrence's key (e.g. the run id).
 */
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { createDynamoDbServiceClient } from '../aws/clients.ts';
import type { HandlerEnv } from '../aws/env.ts';
import { type GuardedEffect, idempotencyPartition } from './effects.ts';

/** The metadata table's key and TTL attributes (shared/store/table-definition.ts). */
const TABLE_ATTRIBUTES = { keyAttr: 'pk', sortKeyAttr: 'sk', expiryAttr: 'expiresAt' } as const;

type PersistenceEnv = Pick<HandlerEnv, 'metadataTable' | 'region' | 'dynamoDbEndpoint'>;

const layers = new Map<string, DynamoDBPersistenceLayer>();

/**
 * One layer per organization, effect and table, built once per process:
 * Powertools keeps its configuration (partition, key prefix, expiry) on the
 * layer, so two effects must not share one.
 */
export function idempotencyPersistence(
  organization: string,
  effect: GuardedEffect,
  env: PersistenceEnv,
): DynamoDBPersistenceLayer {
  const partition = idempotencyPartition(organization, effect);
  const cacheKey = JSON.stringify([partition, env.metadataTable, env.region, env.dynamoDbEndpoint ?? null]);
  const existing = layers.get(cacheKey);
  if (existing !== undefined) return existing;
  const layer = new DynamoDBPersistenceLayer({
    tableName: env.metadataTable,
    ...TABLE_ATTRIBUTES,
    staticPkValue: partition,
    awsSdkV3Client: createDynamoDbServiceClient(env),
  });
  layers.set(cacheKey, layer);
  return layer;
}
