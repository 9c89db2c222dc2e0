/**
 * A CSV plan infers types from the file's first range, which its record
 * scan keeps on the way through the file; a first record longer than what
 * the scan keeps past the chunk size is downloaded instead. Either way the
 * rows equal DuckDB's over the whole file. Records up to 16 MiB are read
 * (DuckDB's default stops at 2,000,000 bytes); a longer one fails the run
 * with an error short enough to record.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ERROR_MESSAGE_CHARS } from '../../shared/errors.ts';
import { runPipelineLocally } from '../../shared/runtime/run-local.ts';
import { PipelineSchema } from '../../shared/spec/schema.ts';
import {
  putLocalFile,
  queryDataset,
  queryDirectly,
  startTestEnvironment,
  type TestEnvironment,
} from './harness.ts';

let env: TestEnvironment;
const files: Record<string, string> = {};

/** 3,000 rows; the first note is `firstNoteBytes` long and spans lines. */
function csvWithFirstNote(firstNoteBytes: number): string {
  const long = `"${'x'.repeat(firstNoteBytes / 2)}\n${'y'.repeat(firstNoteBytes / 2)}"`;
  const rows = Array.from(
    { length: 3000 },
    (_, i) => `${i + 1},${i === 0 ? long : `note ${i}`},${((i % 97) * 1.25).toFixed(2)}`,
  );
  return `id,note,amount\n${rows.join('\n')}\n`;
}

/** The file under `sample-<name>/` into Parquet, in 16 KiB chunks. */
function csvToParquet(name: string) {
  return PipelineSchema.parse({
    name: `sample-${name}`,
    nodes: [
      {
        id: 'src',
        type: 'extractor',
        module: 's3-csv',
        config: { bucket: 'raw', prefix: `sample-${name}/` },
      },
      {
        id: 'out',
        type: 'loader',
        module: 's3-parquet',
        config: { bucket: 'lake', prefix: `sample-${name}/` },
      },
    ],
    edges: [{ source: 'src', target: 'out' }],
    execution: { chunk_size_bytes: 16 * 1024 },
  });
}

beforeAll(async () => {
  env = await startTestEnvironment();
  for (const [name, noteBytes] of [
    ['kept', 10],
    ['downloaded', 1536 * 1024],
    // Past DuckDB's default line limit (2,000,000 bytes), within the 16 MiB the extractor allows.
    ['long', 2 * 1024 * 1024],
    // Past 16 MiB: the run fails, and DuckDB's message echoes the whole line.
    ['too-long', 17 * 1024 * 1024],
  ] as const) {
    const path = join(env.scratch, `${name}.csv`);
    await writeFile(path, csvWithFirstNote(noteBytes));
    await putLocalFile(env, path, 'raw', `sample-${name}/${name}.csv`);
    files[name] = path;
  }
});
afterAll(() => env.close());

describe('the CSV type-inference sample', () => {
  it.each(['kept', 'downloaded', 'long'])(
    'infers from the first range (%s), rows equal to DuckDB',
    async (name) => {
      const pipeline = csvToParquet(name);
      const result = await runPipelineLocally(pipeline, env.services);

      expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
      expect(result.nodes.find((node) => node.nodeId === 'src')?.chunks).toBeGreaterThan(1);
      const totals =
        'SELECT count(*)::INTEGER AS n, sum(id)::BIGINT AS ids, sum(length(note))::BIGINT AS note_bytes, ' +
        'sum(amount)::DOUBLE AS amount, typeof(any_value(id)) AS id_type, typeof(any_value(amount)) AS amount_type FROM ';
      const published = await queryDataset(env, 'lake', `sample-${name}/`, `${totals} dataset`);
      const direct = `read_csv('${files[name]}', max_line_size = ${4 * 1024 * 1024})`;
      expect(published).toStrictEqual(await queryDirectly(`${totals} ${direct}`));
      expect(published[0]).toMatchObject({ n: 3000, id_type: 'BIGINT', amount_type: 'DOUBLE' });
    },
  );

  it('fails on a record past 16 MiB with a message cut to a size a run can record', async () => {
    const pipeline = csvToParquet('too-long');
    const result = await runPipelineLocally(pipeline, env.services);

    expect(result.run.status).toBe('failed');
    const message = result.run.error?.message ?? '';
    // DuckDB's message quotes the 2 MB line; what the run records keeps its start and its end.
    expect(message.length).toBeLessThan(MAX_ERROR_MESSAGE_CHARS + 200);
    expect(message).toMatch(
      /^node src \(s3-csv\): inferring the columns of s3:\/\/raw\/sample-too-long\/too-long\.csv: /,
    );
    expect(message).toMatch(/\[\.\.\. \d+ characters cut \.\.\.\]/);
    expect(message).toContain('max_line_size');
  });
});
