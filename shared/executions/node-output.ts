/**
 * Reads the first rows of a node's output in a run: the node's staged chunks
 * (`runs/<runId>/<nodeId>/part-<n>.parquet`), downloaded in chunk order
 * until there are enough rows, read with DuckDB. Only S3 and DuckDB are
 * involved, so it serves the cloud API as well as `etl serve`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { downloadToFile, listObjects } from '../aws/s3-objects.ts';
import { queryRows, withDuckDb } from '../duckdb/engine.ts';
import { describeColumns } from '../duckdb/parquet.ts';
import { sqlString } from '../duckdb/sql.ts';
import { SourceNotFoundError } from '../errors.ts';
import { handlerDeps } from '../lambda/deps.ts';
import { RunNotFoundError } from './errors.ts';
import type { PreviewResult } from './preview-result.ts';

export interface NodeOutputRequest {
  readonly organization: string;
  readonly runId: string;
  readonly nodeId: string;
  readonly limit: number;
}

/** A chunk's output directly under the node's prefix (not its rejects/ or staged/ files). */
const CHUNK_OUTPUT = /^part-\d+\.parquet$/;

/** Reads up to `limit` rows from the staged Parquet chunks under `prefix`, in chunk order. */
export async function readStagedChunks(
  s3: S3Client,
  bucket: string,
  prefix: string,
  limit: number,
): Promise<PreviewResult | undefined> {
  const keys = (await listObjects(s3, bucket, prefix))
    .map((object) => object.key)
    .filter((key) => CHUNK_OUTPUT.test(key.slice(prefix.length)))
    .sort();
  if (keys.length === 0) return undefined;
  const folder = await mkdtemp(join(tmpdir(), 'etl-output-'));
  try {
    return await withDuckDb({ workDir: folder }, async (connection) => {
      const paths: string[] = [];
      let rows = 0;
      for (const key of keys) {
        const path = join(folder, `${paths.length}.parquet`);
        await downloadToFile(s3, bucket, key, path);
        paths.push(path);
        const [count] = await queryRows(
          connection,
          `SELECT count(*) AS n FROM read_parquet(${sqlString(path)})`,
        );
        rows += Number(count?.n ?? 0);
        if (rows >= limit) break;
      }
      const relation = `read_parquet([${paths.map(sqlString).join(', ')}], union_by_name = true)`;
      const columns = await describeColumns(connection, relation);
      return { columns, rows: await queryRows(connection, `SELECT * FROM ${relation} LIMIT ${limit}`) };
    });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

export async function readNodeOutput(request: NodeOutputRequest): Promise<PreviewResult> {
  const { organization, runId, nodeId, limit } = request;
  const deps = handlerDeps(organization);
  // Staging keys are not under the organization: the run record is what proves whose run it is.
  if ((await deps.store.getRun(runId)) === undefined) throw new RunNotFoundError(organization, runId);
  const result = await readStagedChunks(deps.s3, deps.env.stagingBucket, `runs/${runId}/${nodeId}/`, limit);
  if (result === undefined) {
    throw new SourceNotFoundError(
      `run ${runId} has no staged output for node ${nodeId}: the node did not run, is a loader, or ran fused into a later node`,
    );
  }
  return result;
}
