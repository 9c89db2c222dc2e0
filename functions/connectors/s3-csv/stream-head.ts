/**
 * Keeps the first bytes of a stream in a local file while another reader
 * consumes it. The plan's record scan reads every byte of a CSV file; its
 * first range is also the type-inference sample, which would otherwise be
 * downloaded a second time (up to `chunk_size_bytes`, 64 MiB by default).
 */
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';

export interface StreamHead {
  /** The same bytes as the source, for the reader. */
  readonly stream: Readable;
  /** Once the reader is done: how many bytes the file holds (at most `maxBytes`). */
  kept(): number;
}

export function keepStreamHead(source: Readable, path: string, maxBytes: number): StreamHead {
  let kept = 0;
  async function* passThrough(): AsyncGenerator<Buffer> {
    const file = await open(path, 'w');
    try {
      for await (const chunk of source) {
        const bytes = chunk as Buffer;
        if (kept < maxBytes) {
          const head = bytes.subarray(0, maxBytes - kept);
          await file.write(head);
          kept += head.length;
        }
        yield bytes;
      }
    } finally {
      await file.close();
    }
  }
  return { stream: Readable.from(passThrough()), kept: () => kept };
}
