/**
 * Bad rows are quarantined, not lost: birdstrikes.csv with malformed rows
 * injected at known lines, read in several chunks. Each bad row is in the
 * rejects with its line and reason, the counts add up at every node, and
 * past `max_reject_ratio` the run fails before anything is published.
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

/** Inserted after the given data line (1-based, header is line 1): the bad row and what DuckDB reports. */
const INJECTED = [
  { after: 120, row: 'JUST ONE FIELD', errorType: 'MISSING COLUMNS' },
  { after: 2_500, row: 'X,X,X,X,X,X,X,X,X,X,X,X,X,fast', errorType: 'CAST' },
  { after: 6_000, row: 'A,B,C,D,E,F,G,H,I,J,K,L,M,N,O,P', errorType: 'TOO MANY COLUMNS' },
  { after: 9_000, row: 'X,X,X,1990-01-01,X,X,X,X,X,X,not money,0,0,100', errorType: 'CAST' },
] as const;

/** Returns the file text and, per injected row, the physical line it ends up on. */
async function withBadRows(): Promise<{ text: string; lines: number[] }> {
  const source = (await readFile(join(SHARED_DATA, 'birdstrikes.csv'), 'utf8')).split('\n');
  const lines: number[] = [];
  let shift = 0;
  for (const { after, row } of INJECTED) {
    // The file ends its lines with CRLF: so do the injected rows.
    source.splice(after + shift, 0, `${row}\r`);
    shift++;
    lines.push(after + shift);
  }
  return { text: source.join('\n'), lines };
}

function pipeline(maxRejectRatio: number, prefix: string) {
  return PipelineSchema.parse({
    name: 'quarantine',
    nodes: [
      {
        id: 'src',
        type: 'extractor',
        module: 's3-csv',
        config: {
          bucket: 'raw',
          prefix: 'strikes/',
          columns: { 'Speed IAS in knots': 'BIGINT', 'Cost Other': 'BIGINT', 'Flight Date': 'DATE' },
        },
      },
      { id: 'costly', type: 'transformer', module: 'filter', config: { expression: '"Cost Total $" > 0' } },
      { id: 'out', type: 'loader', module: 's3-parquet', config: { bucket: 'lake', prefix } },
    ],
    edges: [
      { source: 'src', target: 'costly' },
      { source: 'costly', target: 'out' },
    ],
    execution: { chunk_size_bytes: 200 * 1024, max_reject_ratio: maxRejectRatio },
  });
}

describe('quarantine of malformed CSV rows', () => {
  let env: TestEnvironment;
  let lines: number[];

  beforeAll(async () => {
    env = await startTestEnvironment();
    const bad = await withBadRows();
    lines = bad.lines;
    const path = join(env.scratch, 'strikes.csv');
    await writeFile(path, bad.text);
    await putLocalFile(env, path, 'raw', 'strikes/strikes.csv');
  });
  afterAll(() => env.close());

  it('keeps each bad row in the rejects with its line and reason, and the counts add up', async () => {
    const result = await runPipelineLocally(pipeline(0.05, 'ok/'), env.services);

    expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
    const src = result.nodes.find((node) => node.nodeId === 'src');
    expect(src?.chunks).toBeGreaterThanOrEqual(4);
    expect(src).toMatchObject({ rowsIn: 10_004, rowsOut: 10_000, rowsRejected: 4 });
    for (const node of result.nodes)
      expect(node.rowsIn).toBe(node.rowsOut + node.rowsRejected + node.rowsFiltered);

    const rejects = await queryDataset(
      env,
      LOCAL_STAGING_BUCKET,
      rejectsPrefix(result.runId, 'src'),
      // One row can fail in several ways (too many columns and a cast): the structural error names it.
      `SELECT source, line, raw, arg_min(error_type, error_type = 'CAST') AS error_type
       FROM dataset GROUP BY ALL ORDER BY line`,
    );
    expect(rejects).toStrictEqual(
      INJECTED.map((injected, index) => ({
        source: 's3://raw/strikes/strikes.csv',
        line: lines[index],
        raw: injected.row,
        error_type: injected.errorType,
      })),
    );
    const [reasons] = await queryDataset(
      env,
      LOCAL_STAGING_BUCKET,
      rejectsPrefix(result.runId, 'src'),
      `SELECT count(*) FILTER (WHERE reason LIKE '%Could not convert string "fast" to ''BIGINT''%')::INTEGER AS fast FROM dataset`,
    );
    expect(reasons?.fast).toBe(1);
  });

  it('fails the run past max_reject_ratio, naming the node, and publishes nothing', async () => {
    const result = await runPipelineLocally(pipeline(0.0001, 'strict/'), env.services);

    expect(result.run.status).toBe('failed');
    expect(result.run.error?.name).toBe('RejectThresholdExceeded');
    expect(result.run.error?.message).toContain(
      'node src rejected 4 of 10004 rows (0.0%), over execution.max_reject_ratio 0.0%',
    );
    expect(await listObjects(env.services.s3, 'lake', 'strict/')).toStrictEqual([]);
  });
});
