/**
 * What a module's functions touch besides staging and the store, read from
 * its config schema (as the README's module table reads its fields) until
 * the registry declares it: a `bucket` field means S3 sources or targets,
 * a `connection` field means the connection's secret, a field marked
 * `x-etl-resource: dynamodb-table` (functions/connectors/dynamodb/config.ts)
 * means the DynamoDB tables its nodes name.
 */
import { z } from 'zod';
import type { AnyModuleDefinition } from '../../shared/modules/types.ts';

export interface ModuleNeeds {
  /** An extractor reads, a loader writes, the buckets its nodes name. */
  readonly buckets: boolean;
  readonly connectionSecrets: boolean;
  /** An extractor scans, a loader writes, the DynamoDB tables its nodes name. */
  readonly dynamodbTables: boolean;
}

export function moduleNeeds(module: Pick<AnyModuleDefinition, 'configSchema'>): ModuleNeeds {
  const json = z.toJSONSchema(module.configSchema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, { 'x-etl-resource'?: unknown }>;
  };
  const fields = json.properties ?? {};
  return {
    buckets: Object.hasOwn(fields, 'bucket'),
    connectionSecrets: Object.hasOwn(fields, 'connection'),
    dynamodbTables: Object.values(fields).some((field) => field['x-etl-resource'] === 'dynamodb-table'),
  };
}
