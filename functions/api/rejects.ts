/** A sample of a run's rejected rows: the Parquet rejects files under `runs/<runId>/<nodeId>/rejects/`. */
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { downloadToFile, listObjects } from '../../shared/aws/s3-objects.ts';
import { rejectsPrefix } from '../../shared/chunks/ref.ts';
import { queryRows, withDuckDb } from '../../shared/duckdb/engine.ts';
import { sqlString } from '../../shared/duckdb/sql.ts';

export interface RejectSample {
  readonly nodeId: string;
  readonly chunk: number;
  readonly line?: number;
  readonly column?: string;
  readonly reason: string;
  readonly row: Record<string, unknown>;
}

const CHUNK_FILE = /part-(\d+)\.parquet$/;

/** The row as the node read it: a JSON object when it was one, else its text as `{ raw }`. */
function rowOf(raw: unknown): Record<string, unknown> {
  if (typeof raw !== 'string') return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // Not JSON: a CSV line, kept as text.
  }
  return { raw };
}

export async function readRejects(
  s3: S3Client,
  stagingBucket: string,
  workDir: string,
  runId: string,
  nodeIds: readonly string[],
  limit: number,
): Promise<RejectSample[]> {
  const samples: RejectSample[] = [];
  const folder = await mkdtemp(join(workDir, 'rejects-'));
  try {
    for (const nodeId of nodeIds) {
      const files = (await listObjects(s3, stagingBucket, rejectsPrefix(runId, nodeId)))
        .filter((object) => CHUNK_FILE.test(object.key))
        .sort((a, b) => a.key.localeCompare(b.key));
      for (const file of files) {
        if (samples.length >= limit) return samples;
        const chunk = Number(CHUNK_FILE.exec(file.key)?.[1]);
        const path = join(folder, `${nodeId}-${chunk}.parquet`);
        await downloadToFile(s3, stagingBucket, file.key, path);
        const rows = await withDuckDb({ workDir: folder }, (connection) =>
          queryRows(
            connection,
            `SELECT line, "column", reason, raw FROM read_parquet(${sqlString(path)}) LIMIT ${limit - samples.length}`,
          ),
        );
        for (const row of rows) {
          samples.push({
            nodeId,
            chunk,
            ...(row.line !== null && row.line !== undefined ? { line: Number(row.line) } : {}),
            ...(typeof row.column === 'string' ? { column: row.column } : {}),
            reason: String(row.reason ?? ''),
            row: rowOf(row.raw),
          });
        }
      }
    }
    return samples;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
