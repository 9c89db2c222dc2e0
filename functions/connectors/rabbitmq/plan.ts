/**
 * Drains the queue at plan time (ledger.ts says why nothing is acked here but
 * what a successful run already committed): new messages are staged as
 * NDJSON files under deterministic keys, one per chunk, and left unacked.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { classifyAwsError } from '../../../shared/aws/s3-errors.ts';
import { formatS3Uri } from '../../../shared/aws/s3-uri.ts';
import { ChunkDescriptorSchema } from '../../../shared/chunks/ref.ts';
import { ConfigError } from '../../../shared/errors.ts';
import type { ConnectorIo } from '../../../shared/modules/kernels.ts';
import { type WatermarkStore, watermarkStoreFromEnv } from '../../../shared/store/watermark-store.ts';
import type { SourceRecord } from '../record-files/write-records.ts';
import { type AmqpSession, openAmqp } from './client.ts';
import type { RabbitMqConfig } from './config.ts';
import { amqpError } from './errors.ts';
import { LEDGER_COLUMN, LEDGER_TYPE, MessageLedger, messageKey } from './ledger.ts';
import { messageRecord } from './records.ts';

export const MessagesChunkSchema = ChunkDescriptorSchema.extend({
  key: z.string(),
  messages: z.int().min(1),
});
export type MessagesChunk = z.output<typeof MessagesChunkSchema>;

const POLL_MS = 50;

interface Drained {
  readonly records: SourceRecord[];
  readonly staged: MessageLedger;
}

async function drain(
  session: AmqpSession,
  config: RabbitMqConfig,
  committed: MessageLedger,
): Promise<Drained> {
  const where = `queue ${config.queue} at ${session.where}`;
  await session.channel.checkQueue(config.queue).catch((error: unknown) => {
    throw amqpError(error, `checking ${where}`);
  });
  const records: SourceRecord[] = [];
  const staged = new MessageLedger();
  let idleSince = Date.now();
  while (records.length < config.max_messages) {
    const message = await session.channel.get(config.queue, { noAck: false });
    if (message === false) {
      if (Date.now() - idleSince >= config.idle_ms) break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      continue;
    }
    idleSince = Date.now();
    const id = messageKey(message);
    // Only a redelivered message can be one a committed run read: a new one with the same body is not acked.
    if (message.fields.redelivered && committed.take(id)) {
      session.channel.ack(message);
      continue;
    }
    records.push(messageRecord(message, id, config.format, where));
    staged.add(id);
  }
  return { records, staged };
}

function chunkKey(io: ConnectorIo, index: number): string {
  return `runs/${io.run.runId}/${io.nodeId}/messages/part-${String(index).padStart(5, '0')}.ndjson`;
}

async function stageChunks(
  config: RabbitMqConfig,
  io: ConnectorIo,
  records: SourceRecord[],
): Promise<MessagesChunk[]> {
  const chunks: MessagesChunk[] = [];
  for (let start = 0; start < records.length; start += config.messages_per_chunk) {
    const part = records.slice(start, start + config.messages_per_chunk);
    const key = chunkKey(io, chunks.length);
    await io.s3
      .send(
        new PutObjectCommand({
          Bucket: io.stagingBucket,
          Key: key,
          Body: part.map((record) => JSON.stringify(record)).join('\n'),
        }),
      )
      .catch((error: unknown) => {
        throw classifyAwsError(error, `writing ${formatS3Uri(io.stagingBucket, key)}`);
      });
    chunks.push({ index: chunks.length, key, messages: part.length });
  }
  return chunks;
}

export async function planDrain(
  config: RabbitMqConfig,
  io: ConnectorIo,
  _chunkSizeBytes: number,
  watermarks: WatermarkStore = watermarkStoreFromEnv(),
): Promise<MessagesChunk[]> {
  const saved = await watermarks.get(io.run.pipelineId, io.nodeId);
  if (saved !== undefined && saved.column !== LEDGER_COLUMN) {
    throw new ConfigError(
      `the saved watermark of node ${io.nodeId} is for column ${saved.column}, not a RabbitMQ ledger: reset it with \`etl state reset ${io.run.pipelineId} ${io.nodeId}\``,
    );
  }
  const committed = MessageLedger.parse(saved?.value, `node ${io.nodeId}`);
  const before = committed.size;
  const session = await openAmqp(config.connection);
  let drained: Drained;
  try {
    drained = await drain(session, config, committed);
  } finally {
    // Closing the channel puts every unacked message back, in order.
    await session.close();
  }
  const chunks = await stageChunks(config, io, drained.records);
  if (drained.staged.size > 0 || committed.size !== before) {
    // Committed ids not met yet stay in the ledger: a later run acks them.
    for (const id of committed.ids()) drained.staged.add(id);
    await watermarks.stage({
      pipelineId: io.run.pipelineId,
      nodeId: io.nodeId,
      column: LEDGER_COLUMN,
      type: LEDGER_TYPE,
      value: drained.staged.serialize(),
      runId: io.run.runId,
      updatedAt: new Date().toISOString(),
    });
  }
  return chunks;
}
