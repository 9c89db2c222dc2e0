/**
 * Which messages a successful run has committed. A Lambda cannot keep a
 * channel open until Finalize, and an ack on another channel is impossible,
 * so messages are never acked by the run that reads them: the plan reads
 * them without ack (closing the channel puts them back) and records their
 * ids as the node's pending watermark; Finalize saves it only if the run
 * succeeds; the next run's plan acks exactly the saved ids it meets at the
 * head of the queue before reading new ones. A message therefore leaves the
 * queue only after a run that processed it succeeded: none is lost when a
 * run fails; the cost is that acks lag one run.
 */
import { createHash } from 'node:crypto';
import type { Message } from 'amqplib';
import { z } from 'zod';
import { ConfigError } from '../../../shared/errors.ts';

export const LEDGER_COLUMN = '$amqp_committed_messages';
export const LEDGER_TYPE = 'AMQP_MESSAGE_IDS';

const LedgerSchema = z.strictObject({ ids: z.array(z.string()) });

/** 16 hex of SHA-256 of the message-id property, else of the body: a stable id that fits the ledger. */
export function messageKey(message: Pick<Message, 'content' | 'properties'>): string {
  const messageId: unknown = message.properties.messageId;
  const source =
    typeof messageId === 'string' && messageId !== ''
      ? `id:${messageId}`
      : `body:${message.content.toString('base64')}`;
  return createHash('sha256').update(source).digest('hex').slice(0, 16);
}

/** A multiset: two identical bodies without ids are two entries. */
export class MessageLedger {
  private readonly counts = new Map<string, number>();

  static parse(value: string | undefined, where: string): MessageLedger {
    const ledger = new MessageLedger();
    if (value === undefined) return ledger;
    try {
      for (const id of LedgerSchema.parse(JSON.parse(value)).ids) ledger.add(id);
    } catch {
      throw new ConfigError(`the saved watermark of ${where} is not a RabbitMQ message ledger`);
    }
    return ledger;
  }

  add(id: string): void {
    this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
  }

  /** Takes one entry of `id` if present. */
  take(id: string): boolean {
    const count = this.counts.get(id) ?? 0;
    if (count === 0) return false;
    if (count === 1) this.counts.delete(id);
    else this.counts.set(id, count - 1);
    return true;
  }

  ids(): string[] {
    return [...this.counts].flatMap(([id, count]) => Array.from({ length: count }, () => id));
  }

  get size(): number {
    return this.ids().length;
  }

  serialize(): string {
    return JSON.stringify({ ids: this.ids() });
  }
}
