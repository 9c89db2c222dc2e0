/** Extracts one JSON chunk (an array file or an NDJSON byte range) with the plan's schema. */
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
import { readJsonRelation } from './json-options.ts';
import type { S3JsonConfig } from './module.ts';
import { JsonChunkSchema } from './plan.ts';

export async function extractJson(
  config: S3JsonConfig,
  descriptor: ChunkDescriptor,
  io: ConnectorIo & { readonly connection: DuckDBConnection; readonly outputPath: string },
): Promise<ExtractResult> {
  const chunk = parseChunkDescriptor(JsonChunkSchema, descriptor, 'JSON');
  const plan = await readPlanFile(io.s3, io.stagingBucket, io.run.runId, io.nodeId, io.workDir);
  const path = join(io.workDir, 'chunk.json');
  await downloadToFile(io.s3, config.bucket, chunk.key, path, {
    range: { start: chunk.start, end: chunk.end },
  });

  const where =
    chunk.layout === 'array'
      ? formatS3Uri(config.bucket, chunk.key)
      : `${formatS3Uri(config.bucket, chunk.key)} lines ${chunk.firstRecord}-${chunk.firstRecord + chunk.records - 1}`;
  const query = `SELECT ${selectColumns(plan.columns)} FROM ${readJsonRelation(path, chunk.layout, plan.columns)}`;
  const rowsOut = await asDataErrors(where, () => writeParquet(io.connection, query, io.outputPath));
  // An array's record count is only known once parsed; every element became a row or the parse failed.
  return { rowsIn: chunk.records >= 0 ? chunk.records : rowsOut, rowsOut, rowsRejected: 0 };
}
