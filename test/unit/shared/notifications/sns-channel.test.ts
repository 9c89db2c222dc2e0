import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { StorageUnavailableError } from '../../../../shared/errors.ts';
import type { RunNotification } from '../../../../shared/notifications/message.ts';
import { SnsPublisher } from '../../../../shared/notifications/sns-channel.ts';

type Command = Parameters<SNSClient['send']>[0];

const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:etl-notifications';
const MESSAGE: RunNotification = {
  organization: 'acme',
  pipelineId: 'sales',
  runId: '01RUN',
  event: 'failure',
  status: 'failed',
  subject: `ETL run failed: ${'S'.repeat(120)} (01RUN)`,
  text: 'Run 01RUN failed.',
  idempotencyKey: '01RUN:failure',
};

function recorder(error?: Error) {
  const sent: Command[] = [];
  const client = {
    send: async (command: Command) => {
      sent.push(command);
      if (error) throw error;
      return {};
    },
  } as unknown as Pick<SNSClient, 'send'>;
  return { sent, client };
}

describe('SnsPublisher', () => {
  it('publishes email through the notifications topic, tagged with the address for filter policies', async () => {
    const { sent, client } = recorder();

    await new SnsPublisher(client, TOPIC).email('oncall@example.com', MESSAGE);

    expect(sent[0]).toBeInstanceOf(PublishCommand);
    const input = (sent[0] as PublishCommand).input;
    expect(input.TopicArn).toBe(TOPIC);
    expect(input.Subject).toHaveLength(100);
    expect(input.Message).toBe('Run 01RUN failed.');
    expect(input.MessageAttributes).toStrictEqual({
      organization: { DataType: 'String', StringValue: 'acme' },
      pipelineId: { DataType: 'String', StringValue: 'sales' },
      event: { DataType: 'String', StringValue: 'failure' },
      address: { DataType: 'String', StringValue: 'oncall@example.com' },
    });
  });

  it('publishes an sns target to its own topic, without an address', async () => {
    const { sent, client } = recorder();
    const own = 'arn:aws:sns:eu-west-1:111122223333:team-topic';

    await new SnsPublisher(client, TOPIC).sns(own, MESSAGE);

    const input = (sent[0] as PublishCommand).input;
    expect(input.TopicArn).toBe(own);
    expect(input.MessageAttributes?.address).toBeUndefined();
  });

  it('fails as transient when SNS throttles', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    const { client } = recorder(throttled);

    await expect(new SnsPublisher(client, TOPIC).email('a@example.com', MESSAGE)).rejects.toThrow(
      StorageUnavailableError,
    );
  });
});
