/**
 * The CSV planner evens its chunks out so the last wave of workers is full:
 * a 40 MB file at 16 MiB is three chunks, the third running alone on two
 * workers; balanced, it is four of about 10 MB, every record in exactly one.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateReferenceCsv } from '../../bench/dataplane/generate.ts';
import { s3CsvModule } from '../../functions/connectors/s3-csv/module.ts';
import type { CsvChunk } from '../../functions/connectors/s3-csv/plan.ts';
import { planCsv } from '../../functions/connectors/s3-csv/plan.ts';
import { RunContextSchema } from '../../shared/lambda/events.ts';
import type { ConnectorIo } from '../../shared/modules/kernels.ts';
import { putLocalFile, startTestEnvironment, type TestEnvironment } from './harness.ts';

const ROWS = 500_000;
const MiB = 1024 * 1024;

describe('balanced CSV chunks', () => {
  let env: TestEnvironment;
  let io: ConnectorIo;

  beforeAll(async () => {
    env = await startTestEnvironment();
    const path = join(env.scratch, 'reference.csv');
    await generateReferenceCsv(path, ROWS);
    await putLocalFile(env, path, 'raw', 'orders/reference.csv');
    io = {
      s3: env.services.s3,
      workDir: env.scratch,
      parameters: {},
      run: RunContextSchema.parse({
        runId: 'balance',
        pipelineId: 'balance',
        pipelineName: 'balance',
        parameters: {},
        startedAt: new Date(0).toISOString(),
      }),
      nodeId: 'orders',
      stagingBucket: env.services.env.stagingBucket,
    };
  });

  afterAll(async () => {
    await env?.close();
  });

  const config = s3CsvModule.configSchema.parse({ bucket: 'raw', prefix: 'orders/' });

  function expectEveryRecordOnce(chunks: readonly CsvChunk[]): void {
    expect(chunks.reduce((sum, chunk) => sum + chunk.records, 0)).toBe(ROWS);
    for (const [index, chunk] of chunks.entries()) {
      const previous = chunks[index - 1];
      if (previous !== undefined) {
        expect(chunk.start).toBe(previous.end);
        expect(chunk.firstRecord).toBe(previous.firstRecord + previous.records);
      }
    }
  }

  it('cuts three chunks into four for two workers, none past the target', async () => {
    const plain = await planCsv(config, io, 16 * MiB);
    const balanced = await planCsv(config, io, 16 * MiB, 2);

    expect(plain).toHaveLength(3);
    expect(balanced).toHaveLength(4);
    for (const chunk of balanced) expect(chunk.end - chunk.start).toBeLessThanOrEqual(16 * MiB + 1024);
    expectEveryRecordOnce(plain);
    expectEveryRecordOnce(balanced);
  });

  it('keeps three chunks for three workers: the waves are already full', async () => {
    expect(await planCsv(config, io, 16 * MiB, 3)).toHaveLength(3);
  });
});
