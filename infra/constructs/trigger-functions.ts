/**
 * What starts runs without a person: the S3 trigger function behind an
 * EventBridge rule on "Object Created" in the buckets triggers may watch,
 * and the scheduled-run function that every pipeline schedule of
 * EventBridge Scheduler invokes (shared/triggers/schedule-sync.ts).
 */
import { Aws, Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { type IGrantable, type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ACCOUNT_ID_ENV, PIPELINE_ROLE_ENV } from '../../shared/triggers/cloud-deps.ts';
import { grantStoreAccess } from '../grants/function-access.ts';
import { acknowledgeWildcardResources } from '../grants/nag-acknowledgements.ts';
import { ruleDeadLetterQueue } from './dead-letter-queue.ts';
import { EtlFunction } from './etl-function.ts';
import { STAGING_RUNS_PREFIX } from './platform-buckets.ts';

export interface TriggerFunctionsProps {
  readonly table: ITableV2;
  readonly staging: IBucket;
  /** Buckets whose uploads may trigger runs (each must send its events to EventBridge). */
  readonly watchedBuckets: readonly IBucket[];
  readonly organization: string;
  /** Name prefix of the pipeline state machines the functions may start. */
  readonly stateMachineNamePrefix: string;
  /** Role the pipeline state machines run with (recorded by the executor, never assumed here). */
  readonly pipelineRole: IRole;
  /** Role EventBridge Scheduler assumes for pipeline schedules: it may invoke the scheduled-run function. */
  readonly schedulerRole: IGrantable;
}

/** A few DynamoDB calls and one StartExecution per run: no DuckDB, little memory. */
const SIZING = { memorySizeMb: 256, timeout: Duration.seconds(60) };

export class TriggerFunctions extends Construct {
  readonly s3Trigger: EtlFunction;
  readonly scheduledRun: EtlFunction;
  readonly objectCreated: Rule;
  /** Object Created events the rule could not deliver to the function. */
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: TriggerFunctionsProps) {
    super(scope, id);
    const environment = {
      ETL_STAGING_BUCKET: props.staging.bucketName,
      ETL_METADATA_TABLE: props.table.tableName,
      ETL_ORGANIZATION: props.organization,
      [PIPELINE_ROLE_ENV]: props.pipelineRole.roleArn,
      [ACCOUNT_ID_ENV]: Aws.ACCOUNT_ID,
      // The machines the API created are named under this prefix: without it the triggers would look elsewhere.
      ETL_STATE_MACHINE_PREFIX: props.stateMachineNamePrefix,
      POWERTOOLS_LOG_LEVEL: 'INFO',
    };
    this.s3Trigger = new EtlFunction(this, 'S3Trigger', {
      entry: 'functions/control/s3-trigger.ts',
      description: 'ETL s3-trigger: starts the runs an uploaded object triggers',
      ...SIZING,
      environment,
    });
    this.scheduledRun = new EtlFunction(this, 'ScheduledRun', {
      entry: 'functions/control/scheduled-run.ts',
      description: 'ETL scheduled-run: starts the run of a pipeline schedule tick',
      ...SIZING,
      environment,
    });
    for (const fn of [this.s3Trigger, this.scheduledRun]) this.grantStartRuns(fn, props);
    // The function itself, not `grantInvoke`'s `:*` versions too: schedules invoke $LATEST.
    props.schedulerRole.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [this.scheduledRun.function.functionArn],
      }),
    );

    this.deadLetters = ruleDeadLetterQueue(this, 'the Object Created rule');
    this.objectCreated = new Rule(this, 'ObjectCreated', {
      description: 'An object was created in a bucket that pipeline triggers may watch',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: props.watchedBuckets.map((bucket) => bucket.bucketName) } },
      },
    });
    this.objectCreated.addTarget(
      new LambdaFunction(this.s3Trigger.function, { deadLetterQueue: this.deadLetters, retryAttempts: 8 }),
    );
  }

  /**
   * Reading the trigger index (keys `S3TRIGGER#<bucket>`, shared/store/pipeline-store.ts),
   * claiming and recording runs of the organization, writing the run's snapshot
   * into staging, and StartExecution on the platform's state machines.
   */
  private grantStartRuns(fn: EtlFunction, props: TriggerFunctionsProps): void {
    const role = fn.function;
    grantStoreAccess(role, props.table, props.organization);
    role.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [props.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['S3TRIGGER#*'] } },
      }),
    );
    // A claim whose run could not start is given back for the redelivery.
    role.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:DeleteItem'],
        resources: [props.table.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`ORG#${props.organization}#CLAIMS`] },
        },
      }),
    );
    const snapshots = props.staging.arnForObjects(`${STAGING_RUNS_PREFIX}*`);
    role.addToRolePolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [snapshots] }));
    const machines = `arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}:stateMachine:${props.stateMachineNamePrefix}*`;
    role.addToRolePolicy(new PolicyStatement({ actions: ['states:StartExecution'], resources: [machines] }));
    acknowledgeWildcardResources(
      fn.function.role ?? fn,
      [snapshots, machines],
      'Run snapshots are keyed by run id under runs/, and state machines are created by the API after deployment: the wildcards cover the platform prefix only.',
    );
  }
}
