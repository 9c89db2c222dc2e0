/**
 * Facts of the local S3 the runtime relies on: listings past one page
 * (s3rver's continuation tokens need OpenSSL's legacy provider on Node 22),
 * byte-range reads, and bodies stored exactly as sent.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadToFile, listObjects, uploadFile } from '../../shared/aws/s3-objects.ts';
import { ensureBucket } from '../../shared/runtime/local-services.ts';
import { startTestEnvironment, type TestEnvironment } from './harness.ts';

describe('the local S3', () => {
  let env: TestEnvironment;

  beforeAll(async () => {
    env = await startTestEnvironment();
    await ensureBucket(env.services.s3, 'many');
  });
  afterAll(() => env.close());

  it('lists more than 1,000 keys across pages', async () => {
    const keys = Array.from({ length: 1_005 }, (_, i) => `files/${String(i).padStart(4, '0')}.csv`);
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(
        keys
          .slice(i, i + 50)
          .map((key) =>
            env.services.s3.send(new PutObjectCommand({ Bucket: 'many', Key: key, Body: 'a\n1\n' })),
          ),
      );
    }

    const listed = await listObjects(env.services.s3, 'many', 'files/');

    expect(listed.map((object) => object.key)).toStrictEqual(keys);
  });

  it('stores a streamed upload byte for byte and serves byte ranges of it', async () => {
    const path = join(env.scratch, 'body.txt');
    const body = 'header\n'.concat('0123456789\n'.repeat(10_000));
    await writeFile(path, body);

    await uploadFile(env.services.s3, path, 'many', 'body.txt');
    const whole = join(env.scratch, 'whole.txt');
    const range = join(env.scratch, 'range.txt');
    await downloadToFile(env.services.s3, 'many', 'body.txt', whole);
    await downloadToFile(env.services.s3, 'many', 'body.txt', range, { range: { start: 7, end: 29 } });

    expect(await readFile(whole, 'utf8')).toBe(body);
    expect(await readFile(range, 'utf8')).toBe('0123456789\n0123456789\n');
  });
});
