/**
 * Least-privilege grants of the API function, derived from what the router
 * calls: the stores (shared/store/), the run snapshot and outputs in staging,
 * AwsSecretStore, the Step Functions executor (shared/executions/) and the
 * schedule sync (shared/triggers/schedule-sync.ts). Each wildcard covers only
 * the platform's prefix or the organization's names.
 */
import { Aws } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { connectionSecretName } from '../../shared/secrets/secret-store.ts';
import type { PipelineRuntime } from '../constructs/pipeline-runtime.ts';
import { STAGING_RUNS_PREFIX } from '../constructs/platform-buckets.ts';
import { acknowledgeWildcardResources } from './nag-acknowledgements.ts';

export interface ApiAccess {
  readonly table: ITableV2;
  readonly staging: IBucket;
  /** Staging key of the function-ARN map the API reads at cold start. */
  readonly functionArnsKey: string;
  readonly organization: string;
  readonly runtime: PipelineRuntime;
  readonly scheduleGroup: CfnScheduleGroup;
  readonly schedulerRole: IRole;
}

/** Every call the executor makes on the platform's state machines and executions. */
const STATES_ACTIONS = [
  'states:CreateStateMachine',
  'states:UpdateStateMachine',
  'states:DeleteStateMachine',
  'states:DescribeStateMachine',
  'states:StartExecution',
  'states:StopExecution',
  'states:RedriveExecution',
  'states:DescribeExecution',
  'states:TagResource',
];

/** The stores' item calls (shared/store/, shared/lineage/): no Scan, no table administration. */
const TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

/** What AwsSecretStore calls to keep connection credentials (write-only through the API). */
const SECRET_ACTIONS = [
  'secretsmanager:CreateSecret',
  'secretsmanager:PutSecretValue',
  'secretsmanager:DeleteSecret',
  'secretsmanager:GetSecretValue',
];

const SCHEDULE_ACTIONS = [
  'scheduler:CreateSchedule',
  'scheduler:UpdateSchedule',
  'scheduler:DeleteSchedule',
  'scheduler:GetSchedule',
];

const WILDCARD_REASON =
  "Runs, connections, state machines, executions and schedules are created through the API after deployment: each wildcard covers only the platform's prefix or this organization's names.";

function passRole(role: string, service: 'states' | 'scheduler'): PolicyStatement {
  return new PolicyStatement({
    actions: ['iam:PassRole'],
    resources: [role],
    conditions: { StringEquals: { 'iam:PassedToService': `${service}.amazonaws.com` } },
  });
}

/** The organization's items, plus the two cross-tenant indexes a pipeline save maintains. */
function storeStatement(access: ApiAccess): PolicyStatement {
  const { organization } = access;
  return new PolicyStatement({
    actions: TABLE_ACTIONS,
    resources: [access.table.tableArn],
    conditions: {
      'ForAllValues:StringLike': {
        // shared/store/pipeline-store.ts: S3 trigger targets by bucket, and the schedule list.
        'dynamodb:LeadingKeys': [`ORG#${organization}`, `ORG#${organization}#*`, 'S3TRIGGER#*', 'SCHEDULES'],
      },
    },
  });
}

/** Run outputs, rejects and quality reports are read; the snapshot StartExecution reads is written. */
function stagingStatements(access: ApiAccess): PolicyStatement[] {
  const { staging } = access;
  return [
    new PolicyStatement({
      actions: ['s3:GetObject', 's3:PutObject'],
      resources: [staging.arnForObjects(`${STAGING_RUNS_PREFIX}*`)],
    }),
    new PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [staging.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${STAGING_RUNS_PREFIX}*`] } },
    }),
    new PolicyStatement({
      actions: ['s3:GetObject'],
      resources: [staging.arnForObjects(access.functionArnsKey)],
    }),
  ];
}

/** State machines and executions named with the platform prefix, run with the pipeline role only. */
function executionStatements(access: ApiAccess): PolicyStatement[] {
  const prefix = access.runtime.stateMachineNamePrefix;
  const states = `arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}`;
  return [
    new PolicyStatement({
      actions: STATES_ACTIONS,
      resources: [`${states}:stateMachine:${prefix}*`, `${states}:execution:${prefix}*:*`],
    }),
    passRole(access.runtime.executionRole.roleArn, 'states'),
  ];
}

/** Schedules in the platform's group, invoking through the scheduler role only. */
function scheduleStatements(access: ApiAccess): PolicyStatement[] {
  const schedules = `arn:${Aws.PARTITION}:scheduler:${Aws.REGION}:${Aws.ACCOUNT_ID}:schedule/${access.scheduleGroup.ref}/*`;
  return [
    new PolicyStatement({ actions: SCHEDULE_ACTIONS, resources: [schedules] }),
    passRole(access.schedulerRole.roleArn, 'scheduler'),
  ];
}

export function grantApiAccess(fn: IFunction, access: ApiAccess): void {
  const secrets = `arn:${Aws.PARTITION}:secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:${connectionSecretName(access.organization, '*')}`;
  const statements = [
    storeStatement(access),
    ...stagingStatements(access),
    new PolicyStatement({ actions: SECRET_ACTIONS, resources: [secrets] }),
    ...executionStatements(access),
    ...scheduleStatements(access),
  ];
  for (const statement of statements) {
    fn.addToRolePolicy(statement);
    // The finding is raised on the role's policy, so the acknowledgment sits on the role.
    acknowledgeWildcardResources(fn.role ?? fn, statement.resources, WILDCARD_REASON);
  }
}
