/** The `etl` command as a user runs it: a separate process, real files, exit codes. */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './harness.ts';

const BIN = join(REPO_ROOT, 'shared/cli/bin.js');

let scratch: string;

function etl(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, ETL_DATA_DIR: join(scratch, 'data') },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'etl-cli-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('etl validate', () => {
  it('lists a cycle, an unknown module, a missing config field and a dangling edge with their pointers, and exits 1', () => {
    const { status, stderr } = etl('validate', 'test/fixtures/pipelines/four-problems.json');

    expect(status).toBe(1);
    expect(stderr).toMatch(/\/edges\/\d+\s+cycle: /);
    expect(stderr).toMatch(/\/nodes\/\d+\/module\s+unknown module/);
    expect(stderr).toMatch(/\/nodes\/\d+\/config\/\S+\s+.*\[config\]/);
    expect(stderr).toMatch(/\/edges\/\d+\/(source|target)\s+edge (source|target) ".*" is not a node id/);
  });

  it('accepts a valid pipeline and exits 0', () => {
    const { status, stdout } = etl('validate', 'examples/birdstrikes/pipeline.json');

    expect(status).toBe(0);
    expect(stdout).toContain('valid (6 nodes, 5 edges)');
  });

  it('fails when the file is not JSON, naming the file, line and column', async () => {
    const path = join(scratch, 'broken.json');
    await writeFile(path, '{\n  "name": "x",\n  "nodes": [\n}\n');

    const { status, stderr } = etl('validate', path);

    expect(status).toBe(1);
    expect(stderr).toMatch(new RegExp(`${path}:4:1: invalid JSON`));
  });
});

describe('etl translate', () => {
  it('prints the ASL of a pipeline', () => {
    const { status, stdout } = etl('translate', 'examples/movies/pipeline.json');

    expect(status).toBe(0);
    const definition = JSON.parse(stdout) as { StartAt: string; States: Record<string, { Type: string }> };
    expect(definition.StartAt).toBe('Init');
    expect(definition.States['Process films']?.Type).toBe('Map');
  });
});

describe('etl schema', () => {
  it("prints the pipeline format's JSON Schema and a module's config schema", () => {
    const pipeline = etl('schema');
    const filter = etl('schema', 'filter');

    expect(pipeline.status).toBe(0);
    expect((JSON.parse(pipeline.stdout) as { required: string[] }).required).toStrictEqual(['name', 'nodes']);
    expect((JSON.parse(filter.stdout) as { required: string[] }).required).toStrictEqual(['expression']);
  });

  it('fails for an unknown module', () => {
    const { status, stderr } = etl('schema', 'filtr');

    expect(status).toBe(1);
    expect(stderr).toContain('unknown module "filtr"');
  });
});

describe('etl put, run, runs, show, ls, get', () => {
  it('runs an example end to end and reports it', () => {
    expect(etl('put', 'examples/movies/data', 's3://examples/movies/').status).toBe(0);

    const run = etl('run', 'examples/movies/pipeline.json');

    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/movies-profit\s+SUCCESS/);
    expect(run.stdout).toMatch(/films\s+s3-json\s+success\s+1\s+3,201\s+3,201/);
    const runId = /run (\w+)\s+movies-profit/.exec(run.stdout)?.[1] ?? '';

    const runs = etl('runs');
    expect(runs.status).toBe(0);
    expect(runs.stdout).toContain(runId);

    const shown = etl('show', runId);
    expect(shown.status).toBe(0);
    expect(shown.stdout).toMatch(/big_hits\s+s3-parquet\s+success/);

    const listed = etl('ls', 's3://curated/movies/hits/');
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain(`_manifests/${runId}.json`);

    const manifestPath = join(scratch, 'manifest.json');
    expect(etl('get', `s3://curated/movies/hits/_manifests/${runId}.json`, manifestPath).status).toBe(0);
  });

  it('fails a run with a clear message when a parameter is unknown', () => {
    const { status, stderr } = etl('run', 'examples/birdstrikes/pipeline.json', '--param', 'max_cost=3');

    expect(status).toBe(1);
    expect(stderr).toContain('unknown parameter "max_cost"; the pipeline declares min_cost');
  });

  it('exits 1 for an unknown run id', () => {
    const { status, stderr } = etl('show', 'NOSUCHRUN');

    expect(status).toBe(1);
    expect(stderr).toContain('no run NOSUCHRUN');
  });
});
