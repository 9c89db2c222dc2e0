/** Plans a CSV source: one quote-aware pass per file for record boundaries, one inference of the schema. */
import { open, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
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
import { inferCsvRelation } from './csv-options.ts';
import type { S3CsvConfig } from './module.ts';
import { keepStreamHead } from './stream-head.ts';

/** A chunk of one CSV file: its header's bytes are re-read so every chunk parses alone. */
export const CsvChunkSchema = ChunkDescriptorSchema.extend({
  key: z.string(),
  start: z.int().min(0),
  end: z.int().min(0),
  headerBytes: z.int().min(0),
  firstRecord: z.int().min(1),
  firstLine: z.int().min(1),
  records: z.int().min(0),
});
export type CsvChunk = z.output<typeof CsvChunkSchema>;

interface PlannedFile {
  readonly key: string;
  readonly headerBytes: number;
  /** End of the first range: a record-aligned sample for type inference. */
  readonly sampleEnd: number;
  /** The file's first bytes, kept while the scan read them. */
  readonly sample: { readonly path: string; readonly bytes: number };
}

/** Past `targetBytes`, how far a first record may run and its range still be kept by the scan. */
const SAMPLE_SLACK_BYTES = 1024 * 1024;

export async function planCsv(
  config: S3CsvConfig,
  io: ConnectorIo,
  chunkSizeBytes: number,
  workers?: number,
): Promise<CsvChunk[]> {
  const listed = await listSourceFiles(io.s3, {
    bucket: config.bucket,
    prefix: config.prefix,
    ...(config.pattern ? { pattern: config.pattern } : {}),
    allowEmpty: config.allow_empty,
  });
  const files = await selectIncrementalObjects(config, io, listed);
  const totalBytes = files.reduce((sum, file) => sum + file.size, 0);
  const targetBytes = balancedChunkBytes(totalBytes, { targetBytes: chunkSizeBytes, workers });
  const chunks: CsvChunk[] = [];
  const planned: PlannedFile[] = [];
  for (const file of files) {
    const samplePath = join(io.workDir, `sample-${planned.length}.csv`);
    // The first range ends at the record boundary after targetBytes: keep a little more than that.
    const head = keepStreamHead(
      await openObjectStream(io.s3, config.bucket, file.key),
      samplePath,
      targetBytes + SAMPLE_SLACK_BYTES,
    );
    const scan = await scanRecordBoundaries(head.stream, {
      targetBytes,
      quote: config.quote,
      escape: config.escape,
      header: config.header,
    });
    if (scan.ranges.length === 0) continue;
    planned.push({
      key: file.key,
      headerBytes: scan.headerBytes,
      sampleEnd: scan.ranges[0]?.end ?? 0,
      sample: { path: samplePath, bytes: head.kept() },
    });
    for (const range of scan.ranges) {
      chunks.push({ index: chunks.length, key: file.key, headerBytes: scan.headerBytes, ...range });
    }
  }
  const schemas = [];
  for (const file of planned) schemas.push({ key: file.key, columns: await inferColumns(config, io, file) });
  // One schema for the whole source: the first file's, others checked against it per `schema_drift`.
  const schema = resolveSchemaDrift(config.schema_drift, config.bucket, schemas);
  await writePlanFile(io.s3, io.stagingBucket, io.run.runId, io.nodeId, schema);
  return chunks;
}

async function startsWithBom(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(3), 0, 3, 0);
    return bytesRead === 3 && buffer.equals(Buffer.from([0xef, 0xbb, 0xbf]));
  } finally {
    await handle.close();
  }
}

/** Infers a file's types from its first chunk, with declared types forced. */
async function inferColumns(config: S3CsvConfig, io: ConnectorIo, file: PlannedFile): Promise<ColumnInfo[]> {
  const { path } = file.sample;
  if (file.sample.bytes >= file.sampleEnd) await truncate(path, file.sampleEnd);
  else
    await downloadToFile(io.s3, config.bucket, file.key, path, { range: { start: 0, end: file.sampleEnd } });
  // DuckDB's sniffer miscounts the columns when a BOM precedes a quoted field (found by fuzzing): sniff after it.
  if (await startsWithBom(path)) {
    await downloadToFile(io.s3, config.bucket, file.key, path, { range: { start: 3, end: file.sampleEnd } });
  }
  return withDuckDb({ workDir: io.workDir }, (connection) =>
    asDataErrors(`inferring the columns of ${formatS3Uri(config.bucket, file.key)}`, () =>
      describeColumns(connection, inferCsvRelation(path, config)),
    ),
  );
}
