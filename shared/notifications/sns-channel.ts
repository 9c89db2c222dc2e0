/**
 * Email and SNS targets in the cloud. Email goes through the platform's
 * notifications topic, tagged with the address as a message attribute: each
 * address's subscription carries a filter policy on it, so a pipeline's
 * mail reaches only the addresses it names.
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { classifyAwsError } from '../aws/s3-errors.ts';
import type { RunNotification } from './message.ts';

/** SNS refuses subjects over 100 characters. */
const SUBJECT_LIMIT = 100;

export const NOTIFICATIONS_TOPIC_ENV = 'ETL_NOTIFICATIONS_TOPIC_ARN';

function subject(message: RunNotification): string {
  return message.subject.length <= SUBJECT_LIMIT
    ? message.subject
    : `${message.subject.slice(0, SUBJECT_LIMIT - 1)}…`;
}

export class SnsPublisher {
  constructor(
    private readonly client: Pick<SNSClient, 'send'>,
    private readonly notificationsTopicArn: string,
  ) {}

  async email(address: string, message: RunNotification): Promise<void> {
    await this.publish(this.notificationsTopicArn, message, address);
  }

  async sns(topicArn: string, message: RunNotification): Promise<void> {
    await this.publish(topicArn, message, undefined);
  }

  private async publish(
    topicArn: string,
    message: RunNotification,
    address: string | undefined,
  ): Promise<void> {
    const attributes: Record<string, string> = {
      organization: message.organization,
      pipelineId: message.pipelineId,
      event: message.event,
      ...(address === undefined ? {} : { address }),
    };
    try {
      await this.client.send(
        new PublishCommand({
          TopicArn: topicArn,
          Subject: subject(message),
          Message: message.text,
          MessageAttributes: Object.fromEntries(
            Object.entries(attributes).map(([name, value]) => [
              name,
              { DataType: 'String', StringValue: value },
            ]),
          ),
        }),
      );
    } catch (error) {
      throw classifyAwsError(
        error,
        `publishing the ${message.event} notification of run ${message.runId} to ${topicArn}`,
      );
    }
  }
}
