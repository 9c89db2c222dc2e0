/** Stages one chunk as Parquet files in the staging bucket; nothing is visible at the destination yet. */
import { mkdir, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { putJson, uploadFile } from '../../../shared/aws/s3-objects.ts';
import { asDataErrors } from '../../../shared/duckdb/errors.ts';
import { describeColumns } from '../../../shared/duckdb/parquet.ts';
import { sqlIdent, sqlString } from '../../../shared/duckdb/sql.ts';
import { ConfigError } from '../../../shared/errors.ts';
import type { ConnectorIo, StagedLoad } from '../../../shared/modules/kernels.ts';
import type { S3ParquetConfig } from './module.ts';

/** Written last beside a chunk's files: the commit trusts only chunks that have it. */
export const STAGED_MARKER = '_staged.json';

export interface StagedMarker {
  readonly rows: number;
  readonly files: string[];
}

export async function listFilesRecursively(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

export async function stageParquet(
  config: S3ParquetConfig,
  io: ConnectorIo & { readonly connection: DuckDBConnection; readonly stagingPrefix: string },
): Promise<StagedLoad> {
  const columns = await describeColumns(io.connection, 'input');
  const missing = config.partition_by.filter((name) => !columns.some((column) => column.name === name));
  if (missing.length > 0) {
    throw new ConfigError(
      `partition_by names unknown columns ${missing.join(', ')}; the input has ${columns.map((c) => c.name).join(', ')}`,
    );
  }

  const outDir = join(io.workDir, 'out');
  const options = ['FORMAT parquet', `COMPRESSION ${config.compression}`];
  if (config.partition_by.length > 0) {
    options.push(
      `PARTITION_BY (${config.partition_by.map(sqlIdent).join(', ')})`,
      `FILENAME_PATTERN 'part-{i}'`,
    );
  }
  await mkdir(outDir, { recursive: true });
  const target = config.partition_by.length > 0 ? outDir : join(outDir, 'part-0.parquet');
  const reader = await asDataErrors('writing Parquet', () =>
    io.connection.runAndReadAll(`COPY (SELECT * FROM input) TO ${sqlString(target)} (${options.join(', ')})`),
  );
  const rows = Number(reader.getRowObjectsJson()[0]?.Count ?? 0);

  const files: string[] = [];
  let bytes = 0;
  // An empty chunk publishes nothing rather than an empty file.
  for (const path of rows > 0 ? await listFilesRecursively(outDir) : []) {
    const name = relative(outDir, path).split('\\').join('/');
    bytes += await uploadFile(io.s3, path, io.stagingBucket, `${io.stagingPrefix}${name}`);
    files.push(name);
  }
  const marker: StagedMarker = { rows, files };
  await putJson(io.s3, io.stagingBucket, `${io.stagingPrefix}${STAGED_MARKER}`, marker);
  return { rows, files: files.length, bytes };
}
