/**
 * States pass references, never rows: while a run moves megabytes through
 * dozens of chunks, no state input or output in its event log comes near
 * Step Functions' 256 KB limit.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { largestPayload, MAX_STATE_PAYLOAD_BYTES } from '../../shared/runtime/event-log.ts';
import { runPipelineLocally } from '../../shared/runtime/run-local.ts';
import { PipelineSchema } from '../../shared/spec/schema.ts';
import { putLocalFile, SHARED_DATA, startTestEnvironment, type TestEnvironment } from './harness.ts';

const SOURCE = join(SHARED_DATA, 'zipcodes.csv');

const zipcodes = PipelineSchema.parse({
  name: 'zipcodes-by-state',
  nodes: [
    {
      id: 'zips',
      type: 'extractor',
      module: 's3-csv',
      config: { bucket: 'raw', prefix: 'zipcodes/', columns: { zip_code: 'VARCHAR' } },
    },
    { id: 'located', type: 'transformer', module: 'filter', config: { expression: 'latitude IS NOT NULL' } },
    { id: 'lake', type: 'loader', module: 's3-parquet', config: { bucket: 'lake', prefix: 'zipcodes/' } },
  ],
  edges: [
    { source: 'zips', target: 'located' },
    { source: 'located', target: 'lake' },
  ],
  execution: { chunk_size_bytes: 48 * 1024, max_concurrency: 8 },
});

describe('state payloads of a local run', () => {
  let env: TestEnvironment;

  beforeAll(async () => {
    env = await startTestEnvironment();
    await putLocalFile(env, SOURCE, 'raw', 'zipcodes/zipcodes.csv');
  });
  afterAll(() => env.close());

  it('stay far below 256 KB while the run processes more data than that', async () => {
    const sourceBytes = (await stat(SOURCE)).size;

    const result = await runPipelineLocally(zipcodes, env.services);

    expect(result.run.status).toBe('success');
    expect(sourceBytes).toBeGreaterThan(4 * MAX_STATE_PAYLOAD_BYTES);
    const extractor = result.nodes.find((node) => node.nodeId === 'zips');
    expect(extractor?.chunks).toBeGreaterThanOrEqual(30);
    expect(extractor?.rowsIn).toBe(42_049);
    // Measured from the saved event log, as the acceptance asks, not from memory.
    const lines = (await readFile(result.eventLogPath, 'utf8')).split('\n');
    const measured = largestPayload(lines);
    expect(measured.maxBytes).toBeGreaterThan(0);
    expect(measured.maxBytes).toBeLessThan(MAX_STATE_PAYLOAD_BYTES);
    expect(measured).toStrictEqual(result.largestPayload);
  });
});
