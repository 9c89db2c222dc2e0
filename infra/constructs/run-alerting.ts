/**
 * Alerts and notifications at the end of runs: Finalize and OnFailure raise
 * them in-line (shared/notifications/notify-run-end.ts), so they get the
 * notifications topic, the staging quality reports and the organization's
 * webhook connections; the notify function does the same for executions
 * that time out, which never reach OnFailure.
 */
import { Aws, Duration, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Match, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { NOTIFICATIONS_TOPIC_ENV } from '../../shared/notifications/sns-channel.ts';
import { grantConnectionSecrets, grantStoreAccess } from '../grants/function-access.ts';
import { acknowledgeWildcardResources } from '../grants/nag-acknowledgements.ts';
import { EtlFunction } from './etl-function.ts';
import { STAGING_RUNS_PREFIX } from './platform-buckets.ts';

export interface RunAlertingProps {
  readonly table: ITableV2;
  readonly staging: IBucket;
  readonly organization: string;
  readonly topic: ITopic;
  /** Name prefix of the pipeline state machines whose timeouts are reported. */
  readonly stateMachineNamePrefix: string;
  /** Finalize and OnFailure, which report the runs they close. */
  readonly runEndFunctions: readonly EtlFunction[];
  /** Where timeout events the rule could not deliver go (the notifications' queue). */
  readonly deadLetters: Queue;
}

export class RunAlerting extends Construct {
  readonly notify: EtlFunction;
  readonly executionTimedOut: Rule;

  constructor(scope: Construct, id: string, props: RunAlertingProps) {
    super(scope, id);
    this.notify = new EtlFunction(this, 'Notify', {
      entry: 'functions/control/notify.ts',
      description: 'ETL notify: closes timed-out runs, raises their alerts and notifies',
      memorySizeMb: 256,
      timeout: Duration.seconds(60),
      environment: {
        ETL_STAGING_BUCKET: props.staging.bucketName,
        ETL_METADATA_TABLE: props.table.tableName,
        ETL_ORGANIZATION: props.organization,
        POWERTOOLS_LOG_LEVEL: 'INFO',
      },
    });
    grantStoreAccess(this.notify.function, props.table, props.organization);
    for (const fn of [this.notify, ...props.runEndFunctions]) this.grantReporting(fn, props);

    this.executionTimedOut = new Rule(this, 'ExecutionTimedOut', {
      description: 'A pipeline execution timed out: close its run, alert and notify',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          status: ['TIMED_OUT'],
          stateMachineArn: Match.prefix(
            `arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}:stateMachine:${props.stateMachineNamePrefix}`,
          ),
          // Child executions of a Distributed Map time out with their parent: one report per run.
          executionArn: Match.anythingButWildcard('*/*'),
        },
      },
    });
    this.executionTimedOut.addTarget(
      new LambdaFunction(this.notify.function, { deadLetterQueue: props.deadLetters, retryAttempts: 8 }),
    );
  }

  /** Publish to the topic, read the run's quality reports, read webhook connection secrets, release claims. */
  private grantReporting(fn: EtlFunction, props: RunAlertingProps): void {
    const lambda = fn.function;
    lambda.addEnvironment(NOTIFICATIONS_TOPIC_ENV, props.topic.topicArn);
    props.topic.grantPublish(lambda);
    // The topic's customer key (run-notifications.ts says why it has one) needs data keys to publish.
    Validations.of(lambda.role ?? fn).acknowledge({
      id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason:
        'Publishing to the KMS-encrypted notifications topic needs GenerateDataKey* on its key, and only on that key.',
    });
    const runs = props.staging.arnForObjects(`${STAGING_RUNS_PREFIX}*`);
    lambda.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [runs] }));
    lambda.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [props.staging.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${STAGING_RUNS_PREFIX}*`] } },
      }),
    );
    acknowledgeWildcardResources(
      lambda.role ?? fn,
      [runs],
      'Quality reports are keyed by run and node under runs/: the wildcard covers that prefix only.',
    );
    grantConnectionSecrets(lambda, props.organization);
    // A notification that failed gives its claim back for the retry.
    lambda.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:DeleteItem'],
        resources: [props.table.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`ORG#${props.organization}#CLAIMS`] },
        },
      }),
    );
  }
}
