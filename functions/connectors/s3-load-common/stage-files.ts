/**
 * Stages one chunk of a file-output loader (Parquet, CSV, NDJSON): DuckDB
 * writes the chunk's files, which are uploaded under the chunk's staging
 * prefix with a marker written last. The Parquet loader's commit publishes
 * them unchanged (s3-parquet/commit.ts): publishing does not care about the
 * format.
 */
import { mkdir, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { putJson, uploadFile } from '../../../shared/aws/s3-objects.ts';
import { asDataErrors } from '../../../shared/duckdb/errors.ts';
import { describeColumns } from '../../../shared/duckdb/parquet.ts';
import { sqlIdent, sqlString } from '../../../shared/duckdb/sql.ts';
import { ConfigError } from '../../../shared/errors.ts';
import type { ConnectorIo, StagedLoad } from '../../../shared/modules/kernels.ts';

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

export interface FileOutput {
  /** DuckDB COPY options of the format, e.g. `FORMAT csv`, `HEADER true`. */
  readonly copyOptions: readonly string[];
  /** Name of the one file of an unpartitioned chunk, e.g. `part-0.csv.gz`. */
  readonly fileName: string;
  readonly partitionBy: readonly string[];
}

type StageIo = ConnectorIo & { readonly connection: DuckDBConnection; readonly stagingPrefix: string };

async function checkPartitionColumns(io: StageIo, partitionBy: readonly string[]): Promise<void> {
  const columns = await describeColumns(io.connection, 'input');
  const missing = partitionBy.filter((name) => !columns.some((column) => column.name === name));
  if (missing.length > 0) {
    throw new ConfigError(
      `partition_by names unknown columns ${missing.join(', ')}; the input has ${columns.map((c) => c.name).join(', ')}`,
    );
  }
}

export async function stageFiles(output: FileOutput, io: StageIo): Promise<StagedLoad> {
  const partitioned = output.partitionBy.length > 0;
  if (partitioned) await checkPartitionColumns(io, output.partitionBy);
  const options = [...output.copyOptions];
  if (partitioned) {
    options.push(
      `PARTITION_BY (${output.partitionBy.map(sqlIdent).join(', ')})`,
      `FILENAME_PATTERN 'part-{i}'`,
    );
  }
  const outDir = join(io.workDir, 'out');
  await mkdir(outDir, { recursive: true });
  const target = partitioned ? outDir : join(outDir, output.fileName);
  const reader = await asDataErrors(`writing the chunk's ${output.fileName} output`, () =>
    io.connection.runAndReadAll(`COPY (SELECT * FROM input) TO ${sqlString(target)} (${options.join(', ')})`),
  );
  const rows = Number(reader.getRowObjectsJson()[0]?.Count ?? 0);

  const files: string[] = [];
  let bytes = 0;
  // An empty chunk publishes nothing rather than an empty file or one holding only a header.
  for (const path of rows > 0 ? await listFilesRecursively(outDir) : []) {
    const name = relative(outDir, path).split('\\').join('/');
    bytes += await uploadFile(io.s3, path, io.stagingBucket, `${io.stagingPrefix}${name}`);
    files.push(name);
  }
  const marker: StagedMarker = { rows, files };
  await putJson(io.s3, io.stagingBucket, `${io.stagingPrefix}${STAGED_MARKER}`, marker);
  return { rows, files: files.length, bytes };
}
