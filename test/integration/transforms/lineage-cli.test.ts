/** `etl lineage` as a user runs it: a separate process over the local data dir a previous `etl run` wrote. */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, SHARED_DATA } from '../harness.ts';

const BIN = join(REPO_ROOT, 'shared/cli/bin.js');

let scratch: string;
let runId: string;

function etl(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, ETL_DATA_DIR: join(scratch, 'data') },
    timeout: 90_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const PIPELINE = {
  name: 'cars power',
  nodes: [
    { id: 'src', type: 'extractor', module: 's3-json', config: { bucket: 'raw', prefix: 'cars/' } },
    {
      id: 'pick',
      type: 'transformer',
      module: 'select',
      config: { columns: ['Name', 'Horsepower', 'Weight_in_lbs'], rename: { Weight_in_lbs: 'weight' } },
    },
    {
      id: 'ratio',
      type: 'transformer',
      module: 'derive',
      config: { columns: [{ name: 'hp_per_ton', expression: 'Horsepower / (weight / 2000.0)' }] },
    },
    { id: 'known', type: 'transformer', module: 'filter', config: { expression: 'hp_per_ton IS NOT NULL' } },
    { id: 'out', type: 'loader', module: 's3-parquet', config: { bucket: 'lake', prefix: 'cars/' } },
  ],
  edges: [
    { source: 'src', target: 'pick' },
    { source: 'pick', target: 'ratio' },
    { source: 'ratio', target: 'known' },
    { source: 'known', target: 'out' },
  ],
};

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'etl-lineage-cli-'));
  const pipeline = join(scratch, 'pipeline.json');
  await writeFile(pipeline, JSON.stringify(PIPELINE));
  expect(etl('put', join(SHARED_DATA, 'cars.json'), 's3://raw/cars/cars.json').status).toBe(0);
  const run = etl('run', pipeline);
  expect(run.status, run.stderr).toBe(0);
  runId = /run (\S+) /.exec(run.stdout)?.[1] ?? '';
}, 120_000);
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('etl lineage', () => {
  it('prints where a derived column comes from, back to the source columns', () => {
    const { status, stdout } = etl('lineage', runId, 'hp_per_ton');

    expect(status).toBe(0);
    expect(stdout).toContain('out.hp_per_ton  (s3-parquet, direct)');
    expect(stdout).toContain('└─ ratio.hp_per_ton  (derive, derived)');
    expect(stdout).toMatch(
      /pick\.weight {2}\(select, direct\)\n\s+└─ src\.Weight_in_lbs {2}\(s3-json, source\)/,
    );
    expect(stdout.trim().split('\n').at(-1)).toBe('sources: src.Horsepower, src.Weight_in_lbs');
  });

  it('lists every column of every node without a column, and exits 1 for an unknown column', () => {
    const table = etl('lineage', runId);
    const unknown = etl('lineage', runId, 'torque');

    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/known\s+filter\s+hp_per_ton\s+filtered\s+ratio\.hp_per_ton/);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain(`etl: run ${runId} has no column "torque" at the end of the pipeline`);
  });
});
