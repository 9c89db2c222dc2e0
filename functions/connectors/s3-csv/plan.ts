/** Plans a CSV source: one quote-aware pass per file for record boundaries, one inference of the schema. */
import { join } from 'node:path';
import { z } from 'zod';
import { downloadToFile, openObjectStream } from '../../../shared/aws/s3-objects.ts';
import { formatS3Uri } from '../../../shared/aws/s3-uri.ts';
import { writePlanFile } from '../../../shared/chunks/plan-file.ts';
import { scanRecordBoundaries } from '../../../shared/chunks/record-boundaries.ts';
import { ChunkDescriptorSchema } from '../../../shared/chunks/ref.ts';
import { listSourceFiles } from '../../../shared/chunks/source-files.ts';
import { withDuckDb } from '../../../shared/duckdb/engine.ts';
import { asDataErrors } from '../../../shared/duckdb/errors.ts';
import { describeColumns } from '../../../shared/duckdb/parquet.ts';
import { DataError } from '../../../shared/errors.ts';
import type { ConnectorIo } from '../../../shared/modules/kernels.ts';
import { inferCsvRelation } from './csv-options.ts';
import type { S3CsvConfig } from './module.ts';

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

export async function planCsv(
  config: S3CsvConfig,
  io: ConnectorIo,
  chunkSizeBytes: number,
): Promise<CsvChunk[]> {
  const files = await listSourceFiles(io.s3, {
    bucket: config.bucket,
    prefix: config.prefix,
    ...(config.pattern ? { pattern: config.pattern } : {}),
    allowEmpty: config.allow_empty,
  });
  const chunks: CsvChunk[] = [];
  let firstFile: { key: string; header: string; headerBytes: number; sampleEnd: number } | undefined;

  for (const file of files) {
    const scan = await scanRecordBoundaries(await openObjectStream(io.s3, config.bucket, file.key), {
      targetBytes: chunkSizeBytes,
      quote: config.quote,
      escape: config.escape,
      header: config.header,
    });
    if (firstFile === undefined) {
      firstFile = {
        key: file.key,
        header: scan.header,
        headerBytes: scan.headerBytes,
        sampleEnd: scan.ranges[0]?.end ?? 0,
      };
    } else if (config.header && scan.header !== firstFile.header) {
      throw new DataError(
        `schema drift: the header of ${formatS3Uri(config.bucket, file.key)} differs from ${formatS3Uri(config.bucket, firstFile.key)} ` +
          `(${JSON.stringify(scan.header.slice(0, 200))} vs ${JSON.stringify(firstFile.header.slice(0, 200))})`,
      );
    }
    for (const range of scan.ranges) {
      chunks.push({ index: chunks.length, key: file.key, headerBytes: scan.headerBytes, ...range });
    }
  }

  const columns = firstFile ? await inferColumns(config, io, firstFile) : [];
  await writePlanFile(io.s3, io.stagingBucket, io.run.runId, io.nodeId, { columns, settings: {} });
  return chunks;
}

/** Infers types from the first chunk of the first file, with declared types forced. */
async function inferColumns(
  config: S3CsvConfig,
  io: ConnectorIo,
  file: { key: string; headerBytes: number; sampleEnd: number },
) {
  const path = join(io.workDir, 'sample.csv');
  await downloadToFile(io.s3, config.bucket, file.key, path, { range: { start: 0, end: file.sampleEnd } });
  return withDuckDb({ workDir: io.workDir }, (connection) =>
    asDataErrors(`inferring the columns of ${formatS3Uri(config.bucket, file.key)}`, () =>
      describeColumns(connection, inferCsvRelation(path, config)),
    ),
  );
}
