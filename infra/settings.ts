/**
 * Deployment settings, read from CDK context (`cdk.json`, or `-c key=value`
 * on the command line) with one default each, so `npm run synth` needs no
 * flag, no account and no credentials.
 */
import { Architecture } from 'aws-cdk-lib/aws-lambda';
import type { Node } from 'constructs';

export interface PlatformSettings {
  /** `etl:stackName`: one stack per deployment; also prefixes state machines and SSM parameters. */
  readonly stackName: string;
  /** `etl:organization`: the tenant the functions write as (`ETL_ORGANIZATION`). */
  readonly organization: string;
  /** `etl:pipelinesDir`: pipelines kept in git, deployed as state machines. */
  readonly pipelinesDir: string;
  /** `etl:duckdbArchitecture`: `x86_64` or `arm64`, for the functions that run DuckDB. */
  readonly duckDbArchitecture: Architecture;
  /** `etl:notificationEmail`: subscribed to the notifications topic. */
  readonly notificationEmail?: string;
  /** `etl:sourceBuckets`: comma-separated buckets extractors may read besides landing and data. */
  readonly extraSourceBuckets: readonly string[];
  /** `etl:targetBuckets`: comma-separated buckets loaders may write besides data. */
  readonly extraTargetBuckets: readonly string[];
  /** `etl:consoleDir`: the console build deployed when the folder exists. */
  readonly consoleDir: string;
  /** `etl:cognitoDomainPrefix`: the console's hosted sign-in domain prefix (default: stack name and account). */
  readonly cognitoDomainPrefix?: string;
}

export const DEFAULT_SETTINGS = {
  stackName: 'EtlPlatform',
  organization: 'default',
  pipelinesDir: 'infra/pipelines',
  duckDbArchitecture: 'x86_64',
  consoleDir: 'web/dist',
} as const;

const ARCHITECTURES: Readonly<Record<string, Architecture>> = {
  x86_64: Architecture.X86_64,
  arm64: Architecture.ARM_64,
};

function text(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string')
    throw new Error(`context ${key} must be a string, got ${JSON.stringify(value)}`);
  return value;
}

function list(node: Node, key: string): string[] {
  return (text(node, key) ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

export function readSettings(node: Node): PlatformSettings {
  const architectureName = text(node, 'etl:duckdbArchitecture') ?? DEFAULT_SETTINGS.duckDbArchitecture;
  const duckDbArchitecture = ARCHITECTURES[architectureName];
  if (duckDbArchitecture === undefined) {
    throw new Error(`context etl:duckdbArchitecture must be x86_64 or arm64, got ${architectureName}`);
  }
  const notificationEmail = text(node, 'etl:notificationEmail');
  const cognitoDomainPrefix = text(node, 'etl:cognitoDomainPrefix');
  return {
    stackName: text(node, 'etl:stackName') ?? DEFAULT_SETTINGS.stackName,
    organization: text(node, 'etl:organization') ?? DEFAULT_SETTINGS.organization,
    pipelinesDir: text(node, 'etl:pipelinesDir') ?? DEFAULT_SETTINGS.pipelinesDir,
    duckDbArchitecture,
    extraSourceBuckets: list(node, 'etl:sourceBuckets'),
    extraTargetBuckets: list(node, 'etl:targetBuckets'),
    consoleDir: text(node, 'etl:consoleDir') ?? DEFAULT_SETTINGS.consoleDir,
    ...(notificationEmail ? { notificationEmail } : {}),
    ...(cognitoDomainPrefix ? { cognitoDomainPrefix } : {}),
  };
}
