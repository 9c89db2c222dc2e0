/** A message as a row: the body's fields (or the body as text) plus where it came from. */
import type { Message } from 'amqplib';
import { DataError } from '../../../shared/errors.ts';
import type { SourceRecord } from '../record-files/write-records.ts';

export function messageRecord(
  message: Message,
  id: string,
  format: 'json' | 'text',
  where: string,
): SourceRecord {
  const origin = {
    _message_id: typeof message.properties.messageId === 'string' ? message.properties.messageId : id,
    _routing_key: message.fields.routingKey,
    _exchange: message.fields.exchange,
    _timestamp:
      typeof message.properties.timestamp === 'number'
        ? new Date(message.properties.timestamp * 1000).toISOString()
        : null,
  };
  const text = message.content.toString('utf8');
  if (format === 'text') return { ...origin, body: text };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new DataError(
      `${where}: message ${origin._message_id} is not JSON (${(error as Error).message}); read the queue with format "text"`,
    );
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new DataError(
      `${where}: message ${origin._message_id} is not a JSON object; read the queue with format "text"`,
    );
  }
  return { ...(body as Record<string, unknown>), ...origin };
}
