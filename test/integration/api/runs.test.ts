/**
 * Runs through real HTTP against `etl serve`: the birdstrikes example started
 * through the API runs to the end on the local runtime, with per-node status
 * and counters equal to DuckDB's on the source file; rejects and the
 * data-quality report of a validate node; cancel and redrive.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadFile } from '../../../shared/aws/s3-objects.ts';
import { queryRows, withDuckDb } from '../../../shared/duckdb/engine.ts';
import { ensureBucket } from '../../../shared/runtime/local-services.ts';
import { queryDirectly, REPO_ROOT, SHARED_DATA } from '../harness.ts';
import type { ApiClient } from './api-client.ts';
import { type ServeFixture, startServeFixture } from './serve-fixture.ts';

const SOURCE = join(SHARED_DATA, 'birdstrikes.csv');
const ENDED = ['success', 'failed', 'cancelled', 'timeout'];

interface NodeView {
  nodeId: string;
  status: string;
  rowsIn: number;
  rowsOut: number;
  rowsRejected: number;
  rowsFiltered: number;
  chunks: number;
}

let fixture: ServeFixture;
let developer: ApiClient;
let example: Record<string, unknown>;

async function upload(path: string, bucket: string, key: string): Promise<void> {
  await ensureBucket(fixture.server.services.s3, bucket);
  await uploadFile(fixture.server.services.s3, path, bucket, key);
}

async function startRun(pipelineId: string, parameters?: Record<string, unknown>): Promise<string> {
  const started = await developer.call('POST', '/pipelines/{id}/runs', {
    params: { id: pipelineId },
    body: parameters ? { parameters } : {},
  });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  return started.body.runId;
}

/** Polls GET /runs/{runId}, as the console does, until the run has ended. */
async function waitForEnd(runId: string, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await developer.call('GET', '/runs/{runId}', { params: { runId } });
    if (ENDED.includes(body.status)) return body;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${body.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function node(run: { nodes: NodeView[] }, nodeId: string): NodeView {
  const found = run.nodes.find((candidate) => candidate.nodeId === nodeId);
  if (found === undefined) throw new Error(`no node ${nodeId}`);
  return found;
}

beforeAll(async () => {
  fixture = await startServeFixture();
  developer = await fixture.client('developer');
  example = JSON.parse(await readFile(join(REPO_ROOT, 'examples/birdstrikes/pipeline.json'), 'utf8'));
  await upload(SOURCE, 'examples', 'birdstrikes/birdstrikes.csv');
});
afterAll(() => fixture.close());

describe('a run started through the API', () => {
  it('completes with per-node status and counters equal to DuckDB on the source file', async () => {
    expect(
      (await developer.call('POST', '/pipelines', { body: { ...example, id: 'birdstrikes' } })).status,
    ).toBe(201);
    const runId = await startRun('birdstrikes', { min_cost: 1 });
    const run = await waitForEnd(runId);

    const [oracle] = await queryDirectly(
      `SELECT count(*) AS total, count(*) FILTER (WHERE "Cost Total $" >= 1) AS costly FROM read_csv('${SOURCE}')`,
    );
    const total = Number(oracle?.total);
    const costly = Number(oracle?.costly);
    expect(run).toMatchObject({
      runId,
      pipelineId: 'birdstrikes',
      pipelineVersion: 1,
      pipelineName: example.name,
      status: 'success',
      trigger: 'api',
      parameters: { min_cost: 1 },
      rowsIn: total,
      rowsOut: costly,
    });
    expect(run.durationMs).toBeGreaterThan(0);
    expect(run.nodes.map((entry: NodeView) => entry.status)).toStrictEqual(Array(6).fill('success'));
    expect(node(run, 'strikes')).toMatchObject({ rowsIn: total, rowsOut: total });
    expect(node(run, 'strikes').chunks).toBeGreaterThanOrEqual(2);
    expect(node(run, 'costly')).toMatchObject({
      rowsIn: total,
      rowsOut: costly,
      rowsFiltered: total - costly,
    });
    expect(node(run, 'curated')).toMatchObject({ rowsIn: costly, rowsOut: costly, rowsRejected: 0 });

    const listed = await developer.call('GET', '/runs', {
      query: { pipelineId: 'birdstrikes', status: 'success' },
    });
    expect(listed.body.items.map((item: { runId: string }) => item.runId)).toContain(runId);
    expect((await developer.call('GET', '/runs', { query: { status: 'failed' } })).body.items).toStrictEqual(
      [],
    );
    const pipelines = await developer.call('GET', '/pipelines');
    expect(pipelines.body.items[0].lastRun).toMatchObject({ runId, status: 'success' });
    expect((await developer.call('GET', '/runs/{runId}/quality', { params: { runId } })).body).toStrictEqual({
      nodes: [],
    });

    const stillDone = await developer.call('POST', '/runs/{runId}/rerun-failed-chunks', {
      params: { runId },
    });
    expect(stillDone.status).toBe(409);
    expect((await developer.call('POST', '/runs/{runId}/cancel', { params: { runId } })).status).toBe(409);
  });

  it('reports the rejected rows and the data-quality totals of a validate node', async () => {
    const checked = {
      id: 'checked',
      name: 'birdstrikes, checked',
      nodes: [
        {
          id: 'strikes',
          type: 'extractor',
          module: 's3-csv',
          config: { bucket: 'examples', prefix: 'birdstrikes/' },
        },
        {
          id: 'states',
          type: 'transformer',
          module: 'validate',
          config: { rules: [{ column: 'Speed IAS in knots', check: 'not_null' }] },
        },
        { id: 'lake', type: 'loader', module: 's3-parquet', config: { bucket: 'lake', prefix: 'checked/' } },
      ],
      edges: [
        { source: 'strikes', target: 'states' },
        { source: 'states', target: 'lake' },
      ],
      execution: { max_reject_ratio: 1 },
    };
    expect((await developer.call('POST', '/pipelines', { body: checked })).status).toBe(201);
    const runId = await waitForEnd(await startRun('checked')).then((run) => {
      expect(run.status, JSON.stringify(run.error)).toBe('success');
      return run.runId as string;
    });
    const [oracle] = await queryDirectly(
      `SELECT count(*) FILTER (WHERE "Speed IAS in knots" IS NULL) AS missing, count(*) AS total FROM read_csv('${SOURCE}')`,
    );
    const missing = Number(oracle?.missing);
    expect(missing).toBeGreaterThan(0);

    const quality = await developer.call('GET', '/runs/{runId}/quality', { params: { runId } });
    expect(quality.body.nodes).toStrictEqual([
      {
        nodeId: 'states',
        rules: [
          expect.objectContaining({
            column: 'Speed IAS in knots',
            severity: 'reject',
            checked: Number(oracle?.total),
            failed: missing,
          }),
        ],
      },
    ]);
    const rejects = await developer.call('GET', '/runs/{runId}/rejects', {
      params: { runId },
      query: { nodeId: 'states', limit: 5 },
    });
    expect(rejects.body.items).toHaveLength(Math.min(5, missing));
    expect(rejects.body.items[0]).toMatchObject({ nodeId: 'states', column: 'Speed IAS in knots' });
    expect(rejects.body.items[0].row).toHaveProperty('Airport Name');
    const unknownNode = await developer.call('GET', '/runs/{runId}/rejects', {
      params: { runId },
      query: { nodeId: 'nope' },
    });
    expect(unknownNode.status).toBe(404);
  });
});

describe('preview', () => {
  it('runs a node on a sample: JSON by default, Arrow IPC when asked', async () => {
    const body = { pipeline: example, nodeId: 'with_year', limit: 10 };
    const json = await developer.call('POST', '/preview', { body });
    expect(json.status, JSON.stringify(json.body)).toBe(200);
    expect(json.body.columns.map((column: { name: string }) => column.name)).toContain('year');
    expect(json.body.rows).toHaveLength(10);
    expect(Number(json.body.rows[0]['Cost Total $'])).toBeGreaterThanOrEqual(1);

    const response = await fetch(`${fixture.server.url}/api/preview`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await fixture.token('developer')}`,
        'content-type': 'application/json',
        accept: 'application/vnd.apache.arrow.stream',
      },
      body: JSON.stringify(body),
    });
    expect(response.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
    const table = tableFromIPC(new Uint8Array(await response.arrayBuffer()));
    expect(table.numRows).toBe(10);
    expect(table.schema.fields.map((field) => field.name)).toContain('year');

    const unknownNode = await developer.call('POST', '/preview', { body: { ...body, nodeId: 'nope' } });
    expect(unknownNode.status).toBe(422);
    expect(unknownNode.body.errors[0].pointer).toBe('/nodeId');
    const viewer = await fixture.client('viewer');
    expect((await viewer.call('POST', '/preview', { body })).status).toBe(403);
  });
});

describe('cancel and redrive through the API', () => {
  it('cancels a run under way: 202 with the run cancelled', async () => {
    const folder = await mkdtemp(join(fixture.scratch, 'years-'));
    await withDuckDb({ workDir: folder }, async (connection) => {
      const years = await queryRows(
        connection,
        `SELECT DISTINCT year(CAST("Flight Date" AS DATE)) AS y FROM read_csv('${SOURCE}') ORDER BY y`,
      );
      for (const { y } of years) {
        const path = join(folder, `${String(y)}.csv`);
        await connection.run(
          `COPY (SELECT * FROM read_csv('${SOURCE}') WHERE year(CAST("Flight Date" AS DATE)) = ${String(y)}) TO '${path}' (HEADER)`,
        );
        await upload(path, 'raw', `by-year/${String(y)}.csv`);
      }
    });
    const slow = {
      id: 'slow',
      name: 'one chunk at a time',
      nodes: [
        { id: 'strikes', type: 'extractor', module: 's3-csv', config: { bucket: 'raw', prefix: 'by-year/' } },
        {
          id: 'costly',
          type: 'transformer',
          module: 'filter',
          config: { expression: '"Cost Total $" >= 0' },
        },
        { id: 'lake', type: 'loader', module: 's3-parquet', config: { bucket: 'lake', prefix: 'slow/' } },
      ],
      edges: [
        { source: 'strikes', target: 'costly' },
        { source: 'costly', target: 'lake' },
      ],
      execution: { chunk_size_bytes: 1024 * 1024, max_concurrency: 1 },
    };
    expect((await developer.call('POST', '/pipelines', { body: slow })).status).toBe(201);
    const runId = await startRun('slow');
    for (;;) {
      const { body } = await developer.call('GET', '/runs/{runId}', { params: { runId } });
      if (body.nodes.some((entry: NodeView) => entry.nodeId === 'costly' && entry.chunks > 0)) {
        expect(node(body, 'costly').status).toBe('running');
        break;
      }
      expect(ENDED).not.toContain(body.status);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const cancelled = await developer.call('POST', '/runs/{runId}/cancel', { params: { runId } });
    expect(cancelled.status).toBe(202);
    expect(cancelled.body).toMatchObject({ runId, status: 'cancelled' });
  });

  it('redrives a failed run from where it failed: 202, then success', async () => {
    const late = {
      id: 'late',
      name: 'source arrives late',
      nodes: [
        { id: 'strikes', type: 'extractor', module: 's3-csv', config: { bucket: 'raw', prefix: 'late/' } },
        { id: 'lake', type: 'loader', module: 's3-parquet', config: { bucket: 'lake', prefix: 'late/' } },
      ],
      edges: [{ source: 'strikes', target: 'lake' }],
      execution: { retries: { max_attempts: 0 } },
    };
    await ensureBucket(fixture.server.services.s3, 'raw');
    expect((await developer.call('POST', '/pipelines', { body: late })).status).toBe(201);
    const runId = await startRun('late');
    const failed = await waitForEnd(runId);
    expect(failed).toMatchObject({ status: 'failed', error: { name: 'SourceNotFoundError' } });

    await upload(SOURCE, 'raw', 'late/birdstrikes.csv');
    const redriven = await developer.call('POST', '/runs/{runId}/redrive', { params: { runId } });
    expect(redriven.status, JSON.stringify(redriven.body)).toBe(202);
    expect(redriven.body.runId).toBe(runId);
    const ended = await waitForEnd(runId);
    expect(ended.status, JSON.stringify(ended.error)).toBe('success');
    expect(node(ended, 'lake').rowsOut).toBeGreaterThan(0);
  });

  it('records every write in the audit trail, readable by admins only', async () => {
    const admin = await fixture.client('admin');
    const audit = await admin.call('GET', '/audit', { query: { limit: 100 } });
    const actions = audit.body.items.map((entry: { action: string }) => entry.action);
    expect(actions).toEqual(
      expect.arrayContaining(['pipeline.create', 'run.start', 'run.cancel', 'run.redrive']),
    );
    expect(audit.body.items[0]).toMatchObject({ user: 'developer-user', at: expect.any(String) });
    expect((await developer.call('GET', '/audit')).status).toBe(403);
  });
});
