/** Extracts one CSV chunk: header bytes + the chunk's byte range, parsed with the plan's schema. */
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { z } from 'zod';
import { downloadToFile } from '../../../shared/aws/s3-objects.ts';
import { formatS3Uri } from '../../../shared/aws/s3-uri.ts';
import { readPlanFile } from '../../../shared/chunks/plan-file.ts';
import { type ChunkDescriptor, parseChunkDescriptor } from '../../../shared/chunks/ref.ts';
import { asDataErrors } from '../../../shared/duckdb/errors.ts';
import { writeParquet } from '../../../shared/duckdb/parquet.ts';
import { sqlIdent } from '../../../shared/duckdb/sql.ts';
import { DataError } from '../../../shared/errors.ts';
import { materialize } from '../../../shared/lambda/chain-steps.ts';
import type { ColumnInfo, ConnectorIo, ExtractResult } from '../../../shared/modules/kernels.ts';
import { readCsvRelation } from './csv-options.ts';
import { describeChangedValues, valuesChangedByCast } from './lenient-casts.ts';
import type { S3CsvConfig } from './module.ts';
import { CsvChunkSchema } from './plan.ts';
import { quarantineCsvRejects, quarantineWholeChunk } from './rejects.ts';

const ColumnsSchema = z.array(z.object({ name: z.string(), type: z.string() }));

const CsvPlanSettingsSchema = z.object({
  /** Evolve: the first file's columns (every file without drift has them)... */
  referenceColumns: ColumnsSchema.optional(),
  /** ...and each drifting file's own; both are read, then projected onto the plan's union. */
  fileColumns: z.record(z.string(), ColumnsSchema).optional(),
  /** Quarantine: drifting files and why. */
  quarantined: z.record(z.string(), z.string()).optional(),
});

/** The plan's columns, taken from a file that may lack some or hold them in a narrower type. */
function projectOnto(planColumns: readonly ColumnInfo[], fileColumns: readonly ColumnInfo[]): string {
  const own = new Map(fileColumns.map((column) => [column.name, column.type]));
  return planColumns
    .map((column) => {
      const type = own.get(column.name);
      const name = sqlIdent(column.name);
      if (type === undefined) return `NULL::${column.type} AS ${name}`;
      return type === column.type ? name : `CAST(${name} AS ${column.type}) AS ${name}`;
    })
    .join(', ');
}

type ExtractIo = ConnectorIo & { readonly connection: DuckDBConnection };

/** Stores the rows of a query where the caller wants them; returns how many it stored. */
type ChunkWriter = (query: string) => Promise<number>;

/** Reads one chunk into a Parquet file (an unfused task uploads it as the chunk). */
export async function extractCsv(
  config: S3CsvConfig,
  descriptor: ChunkDescriptor,
  io: ExtractIo & { readonly outputPath: string },
): Promise<ExtractResult> {
  return readCsvChunk(config, descriptor, io, (query) => writeParquet(io.connection, query, io.outputPath));
}

/** Reads one chunk into a table of the chain's connection (a fused chain reads it from there). */
export async function extractCsvToTable(
  config: S3CsvConfig,
  descriptor: ChunkDescriptor,
  io: ExtractIo & { readonly outputTable: string },
): Promise<ExtractResult> {
  return readCsvChunk(config, descriptor, io, (query) => materialize(io.connection, query, io.outputTable));
}

async function readCsvChunk(
  config: S3CsvConfig,
  descriptor: ChunkDescriptor,
  io: ExtractIo,
  write: ChunkWriter,
): Promise<ExtractResult> {
  const chunk = parseChunkDescriptor(CsvChunkSchema, descriptor, 'CSV');
  const plan = await readPlanFile(io.s3, io.stagingBucket, io.run.runId, io.nodeId, io.workDir);
  const settings = CsvPlanSettingsSchema.parse(plan.settings);
  const path = join(io.workDir, 'chunk.csv');
  await downloadToFile(io.s3, config.bucket, chunk.key, path, {
    range: { start: 0, end: chunk.headerBytes },
  });
  await downloadToFile(io.s3, config.bucket, chunk.key, path, {
    range: { start: chunk.start, end: chunk.end },
    append: true,
  });
  const source = formatS3Uri(config.bucket, chunk.key);
  // No rows out, each record to the rejects with the drift as its reason.
  const quarantine = async (drift: string): Promise<ExtractResult> => {
    await write(`SELECT ${projectOnto(plan.columns, [])} LIMIT 0`);
    const reason = `schema drift: ${drift}`;
    const rowsRejected = await quarantineWholeChunk(io.connection, chunk, source, path, reason, io, config);
    return { rowsIn: chunk.records, rowsOut: 0, rowsRejected };
  };

  const drift = settings.quarantined?.[chunk.key];
  if (drift !== undefined) return quarantine(drift);

  const fileColumns = settings.fileColumns?.[chunk.key] ?? settings.referenceColumns ?? plan.columns;
  const where =
    `${source} bytes ${chunk.start}-${chunk.end}` +
    ` (data records ${chunk.firstRecord}-${chunk.firstRecord + chunk.records - 1} of the file)`;
  const changed = await asDataErrors(where, () =>
    valuesChangedByCast(io.connection, path, config, fileColumns),
  );
  if (changed.length > 0) {
    const changes = describeChangedValues(changed);
    if (config.schema_drift !== 'quarantine') throw new DataError(`schema drift in ${where}: ${changes}`);
    return quarantine(changes);
  }
  const query = `SELECT ${projectOnto(plan.columns, fileColumns)} FROM ${readCsvRelation(path, config, fileColumns)}`;
  const rowsOut = await asDataErrors(where, () => write(query));
  const rowsRejected = await quarantineCsvRejects(io.connection, chunk, source, path, io, config);
  return { rowsIn: chunk.records, rowsOut, rowsRejected };
}
