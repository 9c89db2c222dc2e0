/** Config of the `rabbitmq` extractor: which queue, how much to drain, how the bodies read. */
import { z } from 'zod';
import { ConnectionNameSchema } from '../../../shared/connections/connection.ts';

export const RABBITMQ_DEFAULTS = {
  max_messages: 1_000,
  idle_ms: 1_000,
  messages_per_chunk: 500,
  format: 'json' as 'json' | 'text',
};

export const RabbitMqConfigSchema = z.strictObject({
  connection: ConnectionNameSchema.describe(
    'An `amqp` connection: broker, virtual host, user; the password is its secret',
  ),
  queue: z.string().min(1).max(255).describe('Queue to drain (it must exist)'),
  max_messages: z
    .int()
    .min(1)
    // The run's message ledger lives in one DynamoDB item (400 KB): 17 bytes a message.
    .max(5_000)
    .default(RABBITMQ_DEFAULTS.max_messages)
    .describe('Read at most this many new messages per run'),
  idle_ms: z
    .int()
    .min(0)
    .max(60_000)
    .default(RABBITMQ_DEFAULTS.idle_ms)
    .describe('Stop when the queue stays empty this long'),
  messages_per_chunk: z.int().min(1).max(100_000).default(RABBITMQ_DEFAULTS.messages_per_chunk),
  format: z
    .enum(['json', 'text'])
    .default(RABBITMQ_DEFAULTS.format)
    .describe(
      '`json`: each body is a JSON object whose fields become columns; `text`: the body is the column `body`',
    ),
});
export type RabbitMqConfig = z.output<typeof RabbitMqConfigSchema>;
