/**
 * The notifications topic, and EventBridge rules that publish to it when a
 * pipeline execution fails or times out. The rules match on the state
 * machine name prefix, so machines the API creates later are covered too,
 * and an execution that times out (which never reaches OnFailure) still
 * tells someone.
 */
import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import { EventField, Match, Rule, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import { SnsTopic } from 'aws-cdk-lib/aws-events-targets';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ruleDeadLetterQueue } from './dead-letter-queue.ts';

export interface RunNotificationsProps {
  /** Name prefix of the pipeline state machines to watch. */
  readonly stateMachineNamePrefix: string;
  /**
   * Address subscribed to the topic (it must confirm the subscription).
   * @default none
   */
  readonly email?: string;
}

export class RunNotifications extends Construct {
  readonly key: Key;
  readonly topic: Topic;
  /** Events the rules could not deliver to the topic. */
  readonly deadLetters: Queue;
  readonly executionFailed: Rule;
  readonly executionTimedOut: Rule;

  constructor(scope: Construct, id: string, props: RunNotificationsProps) {
    super(scope, id);

    // SNS encryption with the AWS-managed key would refuse EventBridge and
    // CloudWatch alarms: only a customer key can grant them its use.
    this.key = new Key(this, 'Key', {
      description: 'Encrypts ETL run notifications',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    for (const service of ['events.amazonaws.com', 'cloudwatch.amazonaws.com']) {
      this.key.grant(new ServicePrincipal(service), 'kms:Decrypt', 'kms:GenerateDataKey*');
    }

    this.topic = new Topic(this, 'Topic', {
      displayName: 'ETL platform notifications',
      masterKey: this.key,
      enforceSSL: true,
    });
    if (props.email !== undefined) this.topic.addSubscription(new EmailSubscription(props.email));

    this.deadLetters = ruleDeadLetterQueue(this, 'the rules below');

    const stateMachineArnPrefix = `arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}:stateMachine:${props.stateMachineNamePrefix}`;
    const ruleFor = (ruleId: string, status: string, description: string): Rule => {
      const rule = new Rule(this, ruleId, {
        description,
        eventPattern: {
          source: ['aws.states'],
          detailType: ['Step Functions Execution Status Change'],
          detail: {
            status: [status],
            stateMachineArn: Match.prefix(stateMachineArnPrefix),
            // Child executions of a Distributed Map (`<machine>/<map run>:<id>`) fail with
            // their parent: one notification per run, not one per failed chunk.
            executionArn: Match.anythingButWildcard('*/*'),
          },
        },
      });
      rule.addTarget(
        new SnsTopic(this.topic, {
          message: RuleTargetInput.fromText(
            `ETL run ${status}: execution ${EventField.fromPath('$.detail.name')} of ${EventField.fromPath('$.detail.stateMachineArn')} (${EventField.fromPath('$.detail.error')}: ${EventField.fromPath('$.detail.cause')})`,
          ),
          deadLetterQueue: this.deadLetters,
          retryAttempts: 8,
        }),
      );
      return rule;
    };
    this.executionFailed = ruleFor('ExecutionFailed', 'FAILED', 'A pipeline execution failed');
    this.executionTimedOut = ruleFor('ExecutionTimedOut', 'TIMED_OUT', 'A pipeline execution timed out');
  }
}
