/** Plans a JSON source: arrays are one chunk per file; NDJSON is split at line boundaries. */
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { classifyAwsError } from '../../../shared/aws/s3-errors.ts';
import { downloadToFile, openObjectStream } from '../../../shared/aws/s3-objects.ts';
import { formatS3Uri } from '../../../shared/aws/s3-uri.ts';
import { balancedChunkBytes } from '../../../shared/chunks/chunk-sizing.ts';
import { writePlanFile } from '../../../shared/chunks/plan-file.ts';
import { scanRecordBoundaries } from '../../../shared/chunks/record-boundaries.ts';
import { ChunkDescriptorSchema } from '../../../shared/chunks/ref.ts';
import { resolveSchemaDrift } from '../../../shared/chunks/schema-drift.ts';
import { listSourceFiles } from '../../../shared/chunks/source-files.ts';
import { withDuckDb } from '../../../shared/duckdb/engine.ts';
import { asDataErrors } from '../../../shared/duckdb/errors.ts';
import { describeColumns } from '../../../shared/duckdb/parquet.ts';
import type { ColumnInfo, ConnectorIo } from '../../../shared/modules/kernels.ts';
import { selectIncrementalObjects } from '../s3-incremental/select.ts';
import { type JsonLayout, readJsonRelation } from './json-options.ts';
import type { S3JsonConfig } from './module.ts';

export const JsonChunkSchema = ChunkDescriptorSchema.extend({
  key: z.string(),
  layout: z.enum(['array', 'ndjson']),
  start: z.int().min(0),
  end: z.int().min(0),
  /** Records in the range for NDJSON; unknown (-1) for an array until parsed. */
  records: z.int().min(-1),
  firstRecord: z.int().min(1),
});
export type JsonChunk = z.output<typeof JsonChunkSchema>;

/** Reads the first bytes: a file whose first non-blank character is `[` holds an array. */
async function detectLayout(io: ConnectorIo, bucket: string, key: string): Promise<JsonLayout> {
  const response = await io.s3
    .send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: 'bytes=0-4095' }))
    .catch((error: unknown) => {
      throw classifyAwsError(error, `reading ${formatS3Uri(bucket, key)}`);
    });
  const head = (await response.Body?.transformToString('utf8')) ?? '';
  return head
    .replace(/^\uFEFF/, '')
    .trimStart()
    .startsWith('[')
    ? 'array'
    : 'ndjson';
}

export async function planJson(
  config: S3JsonConfig,
  io: ConnectorIo,
  chunkSizeBytes: number,
  workers?: number,
): Promise<JsonChunk[]> {
  const listed = await listSourceFiles(io.s3, {
    bucket: config.bucket,
    prefix: config.prefix,
    ...(config.pattern ? { pattern: config.pattern } : {}),
    allowEmpty: config.allow_empty,
  });
  const files = await selectIncrementalObjects(config, io, listed);
  const totalBytes = files.reduce((sum, file) => sum + file.size, 0);
  const targetBytes = balancedChunkBytes(totalBytes, { targetBytes: chunkSizeBytes, workers });
  const chunks: JsonChunk[] = [];
  for (const file of files) {
    const layout = config.format === 'auto' ? await detectLayout(io, config.bucket, file.key) : config.format;
    if (layout === 'array') {
      chunks.push({
        index: chunks.length,
        key: file.key,
        layout,
        start: 0,
        end: file.size,
        records: -1,
        firstRecord: 1,
      });
      continue;
    }
    const scan = await scanRecordBoundaries(await openObjectStream(io.s3, config.bucket, file.key), {
      targetBytes,
      header: false,
    });
    for (const range of scan.ranges) chunks.push({ index: chunks.length, key: file.key, layout, ...range });
  }
  // Each file's first chunk is its sample; the first file's schema is the reference.
  const schemas = [];
  for (const sample of chunks.filter((chunk, i) => chunks[i - 1]?.key !== chunk.key)) {
    schemas.push({ key: sample.key, columns: await inferColumns(config, io, sample) });
  }
  const schema = resolveSchemaDrift(config.schema_drift, config.bucket, schemas);
  await writePlanFile(io.s3, io.stagingBucket, io.run.runId, io.nodeId, schema);
  return chunks;
}

async function inferColumns(config: S3JsonConfig, io: ConnectorIo, sample: JsonChunk): Promise<ColumnInfo[]> {
  const path = join(io.workDir, `sample-${sample.index}.json`);
  await downloadToFile(io.s3, config.bucket, sample.key, path, {
    range: { start: sample.start, end: sample.end },
  });
  const inferred = await withDuckDb({ workDir: io.workDir }, (connection) =>
    asDataErrors(`inferring the fields of ${formatS3Uri(config.bucket, sample.key)}`, () =>
      describeColumns(connection, readJsonRelation(path, sample.layout)),
    ),
  );
  const declared = config.columns ?? {};
  const known = new Set(inferred.map((column) => column.name));
  return [
    ...inferred.map((column) => ({ name: column.name, type: declared[column.name] ?? column.type })),
    // A declared field absent from the sample still becomes a (nullable) column.
    ...Object.entries(declared)
      .filter(([name]) => !known.has(name))
      .map(([name, type]) => ({ name, type })),
  ];
}
