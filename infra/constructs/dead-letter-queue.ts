/**
 * The dead-letter queue of EventBridge rules: encrypted, TLS only, kept two
 * weeks. Its construct id is `DeadLetters` in the scope that owns the rules,
 * so the logical id stays as it was before this helper existed.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** `rules` says whose dead letters these are, for cdk-nag's acknowledgement. */
export function ruleDeadLetterQueue(scope: Construct, rules: string): Queue {
  const queue = new Queue(scope, 'DeadLetters', {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: `This queue is itself the dead-letter queue of ${rules}; cdk-nag only recognizes DLQs named by another queue.`,
  });
  return queue;
}
