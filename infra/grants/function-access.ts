/**
 * Least-privilege grants of the platform's functions, derived from what the
 * handlers do (shared/store/run-store.ts, shared/aws/s3-objects.ts):
 * - every function reads and writes its own organization's items only;
 * - a module lists, reads and writes chunks under the staging bucket's `runs/` prefix;
 * - an extractor also reads its source buckets, a loader writes its target
 *   buckets; a transformer touches nothing else.
 */
import { Aws } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { connectionSecretName } from '../../shared/secrets/secret-store.ts';
import type { NodeType } from '../../shared/spec/schema.ts';
import { STAGING_RUNS_PREFIX } from '../constructs/platform-buckets.ts';
import { acknowledgeWildcardResources } from './nag-acknowledgements.ts';

/** The store's item actions: no Scan, no DeleteItem, no table administration. */
const STORE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:Query',
] as const;

/** A bucket given by construct (the platform's own) or by name (a team's existing bucket). */
export type BucketRef = IBucket | string;

function bucketArn(bucket: BucketRef): string {
  return typeof bucket === 'string' ? `arn:${Aws.PARTITION}:s3:::${bucket}` : bucket.bucketArn;
}

function addStatement(grantee: IGrantable, statement: PolicyStatement): void {
  grantee.grantPrincipal.addToPrincipalPolicy(statement);
}

/**
 * Keys of the store all start with `ORG#<organization>` (the tenant prefix of
 * run-store.ts), so IAM itself keeps a deployment inside its organization.
 */
export function grantStoreAccess(fn: IFunction, table: ITableV2, organization: string): void {
  addStatement(
    fn,
    new PolicyStatement({
      actions: [...STORE_ACTIONS],
      resources: [table.tableArn],
      conditions: {
        'ForAllValues:StringLike': {
          'dynamodb:LeadingKeys': [`ORG#${organization}`, `ORG#${organization}#*`],
        },
      },
    }),
  );
}

export interface ModuleAccess {
  readonly kind: NodeType;
  readonly staging: IBucket;
  /** Buckets an extractor may read. */
  readonly sources: readonly BucketRef[];
  /** Buckets a loader may publish into. */
  readonly targets: readonly BucketRef[];
}

const OBJECT_WILDCARD_REASON =
  'Chunk and dataset keys are generated per run and chunk, so objects are granted by bucket (by the runs/ prefix in staging), never across all of S3.';

function moduleStatements(access: ModuleAccess): PolicyStatement[] {
  const statements = [
    new PolicyStatement({
      actions: ['s3:GetObject', 's3:PutObject'],
      resources: [access.staging.arnForObjects(`${STAGING_RUNS_PREFIX}*`)],
    }),
    // Barrier transforms list their shuffle files, loaders their staged chunks.
    new PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [access.staging.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${STAGING_RUNS_PREFIX}*`] } },
    }),
  ];
  if (access.kind === 'extractor' && access.sources.length > 0) {
    const buckets = access.sources.map(bucketArn);
    statements.push(
      new PolicyStatement({ actions: ['s3:ListBucket'], resources: buckets }),
      new PolicyStatement({ actions: ['s3:GetObject'], resources: buckets.map((arn) => `${arn}/*`) }),
    );
  }
  if (access.kind === 'loader' && access.targets.length > 0) {
    statements.push(
      new PolicyStatement({
        actions: ['s3:PutObject'],
        resources: access.targets.map((bucket) => `${bucketArn(bucket)}/*`),
      }),
    );
  }
  return statements;
}

export function grantModuleAccess(fn: IFunction, access: ModuleAccess): void {
  for (const statement of moduleStatements(access)) {
    addStatement(fn, statement);
    // The finding is raised on the role's policy, so the acknowledgment sits on the role.
    acknowledgeWildcardResources(fn.role ?? fn, statement.resources, OBJECT_WILDCARD_REASON);
  }
}

/**
 * Connection secrets are named `etl/<organization>/connections/<name>`
 * (shared/secrets/secret-store.ts); connections are added after deployment,
 * so the grant covers the organization's connections and nothing else.
 */
export function grantConnectionSecrets(fn: IFunction, organization: string): void {
  const secrets = `arn:${Aws.PARTITION}:secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:${connectionSecretName(organization, '*')}`;
  addStatement(fn, new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secrets] }));
  acknowledgeWildcardResources(
    fn.role ?? fn,
    [secrets],
    "Connections are added through the API after deployment; the wildcard covers this organization's connection secrets only.",
  );
}

/** What the DynamoDB connectors call (functions/connectors/dynamodb/). */
const DYNAMODB_ACTIONS = {
  extractor: ['dynamodb:DescribeTable', 'dynamodb:Scan'],
  loader: ['dynamodb:DescribeTable', 'dynamodb:BatchWriteItem'],
} as const;

/**
 * Tables are named in pipelines, after deployment, so a DynamoDB connector
 * may use the account's tables in its region; an explicit Deny keeps the
 * platform's own table out, since a node naming it would bypass the tenant
 * condition of the store grant (the connector refuses it too).
 */
export function grantDynamoDbTables(
  fn: IFunction,
  kind: 'extractor' | 'loader',
  metadataTable: ITableV2,
): void {
  const actions = [...DYNAMODB_ACTIONS[kind]];
  const tables = `arn:${Aws.PARTITION}:dynamodb:${Aws.REGION}:${Aws.ACCOUNT_ID}:table/*`;
  addStatement(fn, new PolicyStatement({ actions, resources: [tables] }));
  addStatement(
    fn,
    new PolicyStatement({ effect: Effect.DENY, actions, resources: [metadataTable.tableArn] }),
  );
  acknowledgeWildcardResources(
    fn.role ?? fn,
    [tables],
    "Pipelines name their DynamoDB tables after deployment; the platform's metadata table is denied explicitly.",
  );
}
