/**
 * Proof that a benchmarked run did the same work as DuckDB: the row count
 * and an order-independent content hash of a run's published output, to be
 * equal to the ones of the DuckDB answer over the whole file. A faster run
 * with a different answer is not a result.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { DuckDBInstance } from '@duckdb/node-api';
import { downloadToFile, listObjects } from '../../shared/aws/s3-objects.ts';
import { sqlString } from '../../shared/duckdb/sql.ts';

export interface OutputFingerprint {
  readonly rows: number;
  /** Sum of one hash per row (as text, a HUGEINT): rows in any order and any file split give the same sum. */
  readonly contentHash: string;
}

/**
 * Every output column, cast to text so that equal values of different widths
 * (an INTEGER year read from a partition path, a BIGINT one) hash alike.
 */
const ROW_HASH =
  'hash(id::VARCHAR, email, country, amount::VARCHAR, ts::VARCHAR, note, year::VARCHAR, month::VARCHAR)';

/** The fingerprint of a Parquet dataset partitioned by year (`year=<y>/` folders) under `folder`. */
export async function fingerprintDataset(folder: string): Promise<OutputFingerprint> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  try {
    const files = sqlString(join(folder, '**', '*.parquet'));
    const reader = await connection.runAndReadAll(
      `SELECT count(*)::BIGINT AS n, sum(${ROW_HASH}::HUGEINT)::VARCHAR AS h ` +
        `FROM read_parquet(${files}, hive_partitioning = true)`,
    );
    const [row] = reader.getRowObjectsJson();
    return { rows: Number(row?.n ?? 0), contentHash: String(row?.h ?? '') };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Downloads the files one run published under `bucket/prefix` (their names start with the run id). */
export async function downloadRunOutput(
  s3: S3Client,
  location: { readonly bucket: string; readonly prefix: string; readonly runId: string },
  folder: string,
): Promise<number> {
  const objects = await listObjects(s3, location.bucket, location.prefix);
  const published = objects.filter((object) => object.key.includes(`/${location.runId}-`));
  for (const object of published) {
    const path = join(folder, object.key.slice(location.prefix.length));
    await mkdir(dirname(path), { recursive: true });
    await downloadToFile(s3, location.bucket, object.key, path);
  }
  return published.length;
}

export function sameFingerprint(a: OutputFingerprint, b: OutputFingerprint): boolean {
  return a.rows === b.rows && a.contentHash === b.contentHash;
}
