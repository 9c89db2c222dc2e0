/**
 * Environment of every handler, read and checked at cold start so a
 * misconfigured function fails at once with a clear message, not mid-run.
 */
import { ConfigError } from '../errors.ts';

export interface HandlerEnv {
  /** Bucket holding chunks and staged loads: `runs/<runId>/<nodeId>/...`. */
  readonly stagingBucket: string;
  /** The single DynamoDB table of the control plane. */
  readonly metadataTable: string;
  /** Tenant whose keys this deployment writes; `local` for the embedded runtime. */
  readonly organization: string;
  /** Emulator endpoints for the local runtime; absent in the cloud. */
  readonly s3Endpoint?: string;
  readonly dynamoDbEndpoint?: string;
  readonly region: string;
}

type EnvSource = Readonly<Record<string, string | undefined>>;

function required(env: EnvSource, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new ConfigError(`environment variable ${name} is not set: the deployment must provide it`);
  }
  return value;
}

export function readHandlerEnv(env: EnvSource = process.env): HandlerEnv {
  const s3Endpoint = env.ETL_S3_ENDPOINT;
  const dynamoDbEndpoint = env.ETL_DYNAMODB_ENDPOINT;
  return {
    stagingBucket: required(env, 'ETL_STAGING_BUCKET'),
    metadataTable: required(env, 'ETL_METADATA_TABLE'),
    organization: env.ETL_ORGANIZATION ?? 'local',
    region: env.AWS_REGION ?? 'us-east-1',
    ...(s3Endpoint ? { s3Endpoint } : {}),
    ...(dynamoDbEndpoint ? { dynamoDbEndpoint } : {}),
  };
}
