/** Helpers of the connector suites: published objects downloaded for DuckDB, loader events invoked directly. */
import { mkdir, mkdtemp } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ulid } from 'ulid';
import { downloadToFile, listObjects, uploadFile } from '../../../shared/aws/s3-objects.ts';
import { formatS3Uri } from '../../../shared/aws/s3-uri.ts';
import { stagingKey } from '../../../shared/chunks/ref.ts';
import { withDuckDb } from '../../../shared/duckdb/engine.ts';
import type { RunContext } from '../../../shared/lambda/events.ts';
import { loadFunctionHandler } from '../../../shared/runtime/function-handlers.ts';
import { lambdaInvokeAdapter } from '../../../shared/runtime/lambda-invoke-adapter.ts';
import type { TestEnvironment } from '../harness.ts';

/** Downloads every object under `prefix` (keeping folders) and returns the local folder and the keys. */
export async function downloadPrefix(
  env: TestEnvironment,
  bucket: string,
  prefix: string,
): Promise<{ folder: string; keys: string[] }> {
  const folder = await mkdtemp(join(env.scratch, 'published-'));
  const objects = await listObjects(env.services.s3, bucket, prefix);
  for (const object of objects) {
    const path = join(folder, object.key.slice(prefix.length));
    await mkdir(dirname(path), { recursive: true });
    await downloadToFile(env.services.s3, bucket, object.key, path);
  }
  return { folder, keys: objects.map((object) => object.key.slice(prefix.length)) };
}

export function testRun(pipelineId: string): RunContext {
  return {
    runId: ulid(),
    pipelineId,
    pipelineName: pipelineId,
    parameters: {},
    startedAt: new Date().toISOString(),
    organization: 'local',
  };
}

/** Writes `query`'s rows as a chunk of node `src` in the run's staging area; returns its ref. */
export async function stageSourceChunk(env: TestEnvironment, run: RunContext, index: number, query: string) {
  const path = join(env.scratch, `chunk-${run.runId}-${index}.parquet`);
  const rows = await withDuckDb({ workDir: env.scratch }, async (connection) => {
    const reader = await connection.runAndReadAll(`COPY (${query}) TO '${path}' (FORMAT parquet)`);
    return Number(reader.getRowObjectsJson()[0]?.Count ?? 0);
  });
  const key = stagingKey(run.runId, 'src', index);
  const bytes = await uploadFile(env.services.s3, path, env.services.env.stagingBucket, key);
  return { index, uri: formatS3Uri(env.services.env.stagingBucket, key), rows, bytes, schemaHash: 'test' };
}

/** Invokes a loader's `load` or `commit` the way the state machine does, through the lambda:invoke shape. */
export async function invokeLoader(
  module: string,
  payload: Record<string, unknown>,
): Promise<{ Payload: unknown }> {
  const invoke = lambdaInvokeAdapter(module, await loadFunctionHandler(module), 120);
  // A JSON round trip, as the state machine passes payloads.
  return (await invoke(JSON.parse(JSON.stringify({ FunctionName: module, Payload: payload })))) as {
    Payload: unknown;
  };
}
