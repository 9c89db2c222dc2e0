/** The plan's scan reads a file once; its first bytes land in the sample file on the way. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepStreamHead } from '../../../../../functions/connectors/s3-csv/stream-head.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stream-head-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function drain(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

const SOURCE = Buffer.from('id,name\n1,a\n2,"b\nc"\n3,d\n');
/** The source in uneven pieces, as a network stream delivers it. */
const pieces = () => Readable.from([SOURCE.subarray(0, 5), SOURCE.subarray(5, 6), SOURCE.subarray(6)]);

describe('keepStreamHead', () => {
  it('passes every byte through and keeps the first maxBytes across piece boundaries', async () => {
    const path = join(dir, 'head.csv');
    const head = keepStreamHead(pieces(), path, 9);

    expect(await drain(head.stream)).toStrictEqual(SOURCE);
    expect(head.kept()).toBe(9);
    expect(await readFile(path, 'utf8')).toBe('id,name\n1');
  });

  it('keeps a source shorter than maxBytes whole', async () => {
    const path = join(dir, 'whole.csv');
    const head = keepStreamHead(pieces(), path, 1000);

    await drain(head.stream);
    expect(head.kept()).toBe(SOURCE.length);
    expect(await readFile(path)).toStrictEqual(SOURCE);
  });
});
