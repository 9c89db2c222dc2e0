/**
 * Many small files under a prefix are grouped into chunks of about the
 * target size: weather.csv split into 50 files (two with a bad row) gives
 * exactly the rows, rejects and counts of the same data in one file, in far
 * fewer chunks than files.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listObjects } from '../../shared/aws/s3-objects.ts';
import { rejectsPrefix } from '../../shared/chunks/ref.ts';
import { LOCAL_STAGING_BUCKET } from '../../shared/runtime/local-services.ts';
import { runPipelineLocally } from '../../shared/runtime/run-local.ts';
import { PipelineSchema } from '../../shared/spec/schema.ts';
import {
  putLocalFile,
  queryDataset,
  SHARED_DATA,
  startTestEnvironment,
  type TestEnvironment,
} from './harness.ts';

const FILES = 50;
const CHUNK_BYTES = 16 * 1024;
/** Bad rows go into two neighbouring files, so one group holds two parts with rejects. */
const BAD_ROW = 'Seattle,2012-01-01,not a number,1,1,1,rain';
const BAD_FILES = [3, 4];

function pipeline(prefix: string, fuse: boolean) {
  return PipelineSchema.parse({
    name: 'small-files',
    nodes: [
      {
        id: 'weather',
        type: 'extractor',
        module: 's3-csv',
        config: { bucket: 'raw', prefix, columns: { precipitation: 'DOUBLE' } },
      },
      {
        id: 'out',
        type: 'loader',
        module: 's3-parquet',
        config: { bucket: 'lake', prefix: `${prefix}${fuse}/` },
      },
    ],
    edges: [{ source: 'weather', target: 'out' }],
    execution: { chunk_size_bytes: CHUNK_BYTES, fuse },
  });
}

describe('many small files', () => {
  let env: TestEnvironment;
  let dataRows: string[];

  beforeAll(async () => {
    env = await startTestEnvironment();
    const [header, ...rows] = (await readFile(join(SHARED_DATA, 'weather.csv'), 'utf8'))
      .trimEnd()
      .split('\n');
    const perFile = Math.ceil(rows.length / FILES);
    const files = Array.from({ length: FILES }, (_, file) => {
      const slice = rows.slice(file * perFile, (file + 1) * perFile);
      return BAD_FILES.includes(file) ? [...slice.slice(0, 5), BAD_ROW, ...slice.slice(5)] : slice;
    });
    dataRows = files.flat();
    for (const [file, slice] of files.entries()) {
      const path = join(env.scratch, `part-${String(file).padStart(2, '0')}.csv`);
      await writeFile(path, `${header}\n${slice.join('\n')}\n`);
      await putLocalFile(env, path, 'raw', `split/part-${String(file).padStart(2, '0')}.csv`);
    }
    const whole = join(env.scratch, 'whole.csv');
    await writeFile(whole, `${header}\n${dataRows.join('\n')}\n`);
    await putLocalFile(env, whole, 'raw', 'whole/weather.csv');
  });
  afterAll(() => env.close());

  it.each([true, false])(
    'reads 50 small files as a few chunks with the rows of one file (fuse: %s)',
    async (fuse) => {
      const split = await runPipelineLocally(pipeline('split/', fuse), env.services);
      const whole = await runPipelineLocally(pipeline('whole/', fuse), env.services);

      expect(split.run.status).toBe('success');
      expect(whole.run.status).toBe('success');
      const extractor = split.nodes.find((node) => node.nodeId === 'weather');
      expect(extractor).toMatchObject({
        rowsIn: dataRows.length,
        rowsOut: dataRows.length - 2,
        rowsRejected: 2,
      });
      // No chunk holds more than the target (so at least this many), and files are packed, not one each.
      const dataBytes = Buffer.byteLength(`${dataRows.join('\n')}\n`);
      expect(extractor?.chunks).toBeGreaterThanOrEqual(Math.ceil(dataBytes / CHUNK_BYTES));
      expect(extractor?.chunks).toBeLessThan(FILES / 4);
      const rejects = await listObjects(
        env.services.s3,
        LOCAL_STAGING_BUCKET,
        rejectsPrefix(split.runId, 'weather'),
      );
      expect(rejects).toHaveLength(BAD_FILES.length);

      const rows = (prefix: string) =>
        queryDataset(env, 'lake', `${prefix}${fuse}/`, 'SELECT * FROM dataset ORDER BY date, weather, wind');
      expect(await rows('split/')).toStrictEqual(await rows('whole/'));
    },
  );
});
