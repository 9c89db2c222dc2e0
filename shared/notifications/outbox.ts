/**
 * The local stand-in for email and SNS: each notification becomes one JSON
 * line in `<dataDir>/outbox.jsonl` (and a log line), where a developer, or a
 * test, reads what would have been sent.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RunNotification } from './message.ts';

export const OUTBOX_FILE_ENV = 'ETL_OUTBOX_FILE';

export interface OutboxEntry {
  readonly at: string;
  readonly channel: 'email' | 'sns';
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly idempotencyKey: string;
}

export class Outbox {
  constructor(
    readonly path: string,
    private readonly log: (message: string, details: Record<string, unknown>) => void = () => {},
  ) {}

  async append(channel: OutboxEntry['channel'], to: string, message: RunNotification): Promise<void> {
    const entry: OutboxEntry = {
      at: new Date().toISOString(),
      channel,
      to,
      subject: message.subject,
      text: message.text,
      idempotencyKey: message.idempotencyKey,
    };
    await mkdir(dirname(this.path), { recursive: true });
    // One write per line: appends of a line this small are atomic, so concurrent runs never interleave.
    await appendFile(this.path, `${JSON.stringify(entry)}\n`, 'utf8');
    this.log('notification written to the outbox', { outbox: this.path, channel, subject: message.subject });
  }
}
