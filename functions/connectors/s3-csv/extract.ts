/** Extracts one CSV chunk: header bytes + the chunk's byte range, parsed with the plan's schema. */
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { downloadToFile } from '../../../shared/aws/s3-objects.ts';
import { formatS3Uri } from '../../../shared/aws/s3-uri.ts';
import { readPlanFile } from '../../../shared/chunks/plan-file.ts';
import { type ChunkDescriptor, parseChunkDescriptor } from '../../../shared/chunks/ref.ts';
import { asDataErrors } from '../../../shared/duckdb/errors.ts';
import { writeParquet } from '../../../shared/duckdb/parquet.ts';
import { selectColumns } from '../../../shared/duckdb/sql.ts';
import type { ConnectorIo, ExtractResult } from '../../../shared/modules/kernels.ts';
import { readCsvRelation } from './csv-options.ts';
import type { S3CsvConfig } from './module.ts';
import { CsvChunkSchema } from './plan.ts';
import { quarantineCsvRejects } from './rejects.ts';

export async function extractCsv(
  config: S3CsvConfig,
  descriptor: ChunkDescriptor,
  io: ConnectorIo & { readonly connection: DuckDBConnection; readonly outputPath: string },
): Promise<ExtractResult> {
  const chunk = parseChunkDescriptor(CsvChunkSchema, descriptor, 'CSV');
  const plan = await readPlanFile(io.s3, io.stagingBucket, io.run.runId, io.nodeId, io.workDir);
  const path = join(io.workDir, 'chunk.csv');
  await downloadToFile(io.s3, config.bucket, chunk.key, path, {
    range: { start: 0, end: chunk.headerBytes },
  });
  await downloadToFile(io.s3, config.bucket, chunk.key, path, {
    range: { start: chunk.start, end: chunk.end },
    append: true,
  });

  const where =
    `${formatS3Uri(config.bucket, chunk.key)} bytes ${chunk.start}-${chunk.end}` +
    ` (data records ${chunk.firstRecord}-${chunk.firstRecord + chunk.records - 1} of the file)`;
  const query = `SELECT ${selectColumns(plan.columns)} FROM ${readCsvRelation(path, config, plan.columns)}`;
  const rowsOut = await asDataErrors(where, () => writeParquet(io.connection, query, io.outputPath));
  const source = formatS3Uri(config.bucket, chunk.key);
  const rowsRejected = await quarantineCsvRejects(io.connection, chunk, source, path, io);
  return { rowsIn: chunk.records, rowsOut, rowsRejected };
}
