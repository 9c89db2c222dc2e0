/**
 * The execution's event log, kept as JSON lines under the run's folder: it
 * is what progress is drawn from and what the payload-size guarantee is
 * measured on (every state input and output, as Step Functions would see them).
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { EventLog } from './interpreter-types.ts';
import { LOWERED_ITEMS_FIELD } from './lower-for-local.ts';

/** Step Functions' limit on a state's input or output. */
export const MAX_STATE_PAYLOAD_BYTES = 256 * 1024;

/** A state's size as Step Functions would count it: the local lowering's items field does not exist there. */
export function payloadBytes(value: unknown): number {
  return Buffer.byteLength(
    JSON.stringify(value, (key, item) => (key === LOWERED_ITEMS_FIELD ? undefined : item)),
  );
}

export interface PayloadStats {
  maxBytes: number;
  maxAt: string;
}

export class EventLogWriter {
  private readonly stats: PayloadStats = { maxBytes: 0, maxAt: '' };

  private constructor(private readonly stream: WriteStream) {}

  static async open(path: string): Promise<EventLogWriter> {
    await mkdir(dirname(path), { recursive: true });
    return new EventLogWriter(createWriteStream(path));
  }

  write(event: EventLog): void {
    if ('state' in event) {
      for (const [what, value] of [
        ['input', event.state.input],
        ['output', event.state.output],
      ] as const) {
        if (value === undefined) continue;
        const bytes = payloadBytes(value);
        if (bytes > this.stats.maxBytes) {
          this.stats.maxBytes = bytes;
          this.stats.maxAt = `${event.state.name} ${what}`;
        }
      }
    }
    this.stream.write(`${JSON.stringify(event)}\n`);
  }

  async close(): Promise<PayloadStats> {
    await new Promise<void>((done) => this.stream.end(done));
    return { ...this.stats };
  }
}

/** Largest state input or output in a saved event log. */
export function largestPayload(lines: readonly string[]): PayloadStats {
  const stats: PayloadStats = { maxBytes: 0, maxAt: '' };
  for (const line of lines) {
    if (line.trim() === '') continue;
    const event = JSON.parse(line) as { state?: { name: string; input?: unknown; output?: unknown } };
    for (const what of ['input', 'output'] as const) {
      const value = event.state?.[what];
      if (value === undefined) continue;
      const bytes = payloadBytes(value);
      if (bytes > stats.maxBytes)
        Object.assign(stats, { maxBytes: bytes, maxAt: `${event.state?.name} ${what}` });
    }
  }
  return stats;
}
