/** Extracts one JSON chunk (an array file or an NDJSON byte range) with the plan's schema. */
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { z } from 'zod';
import { downloadToFile, uploadFile } from '../../../shared/aws/s3-objects.ts';
import { formatS3Uri } from '../../../shared/aws/s3-uri.ts';
import { readPlanFile } from '../../../shared/chunks/plan-file.ts';
import { type ChunkDescriptor, parseChunkDescriptor, rejectsKey } from '../../../shared/chunks/ref.ts';
import { type RejectRecord, writeRejectsParquet } from '../../../shared/chunks/rejects-file.ts';
import { queryRows } from '../../../shared/duckdb/engine.ts';
import { asDataErrors } from '../../../shared/duckdb/errors.ts';
import { writeParquet } from '../../../shared/duckdb/parquet.ts';
import { selectColumns } from '../../../shared/duckdb/sql.ts';
import { DataError } from '../../../shared/errors.ts';
import type { ConnectorIo, ExtractResult } from '../../../shared/modules/kernels.ts';
import { describeFieldDrift, unknownFields, valuesChangedByType } from './field-drift.ts';
import { jsonRecords, readJsonRelation } from './json-options.ts';
import type { S3JsonConfig } from './module.ts';
import { type JsonChunk, JsonChunkSchema } from './plan.ts';

const JsonPlanSettingsSchema = z.object({ quarantined: z.record(z.string(), z.string()).optional() });

async function quarantineChunk(
  connection: DuckDBConnection,
  chunk: JsonChunk,
  path: string,
  source: string,
  reason: string,
  io: ConnectorIo,
): Promise<number> {
  const rows = await queryRows(
    connection,
    `SELECT n, json::VARCHAR AS raw FROM (${jsonRecords(path, chunk.layout)})`,
  );
  const records: RejectRecord[] = rows.map((row) => {
    const record = chunk.firstRecord + Number(row.n) - 1;
    return {
      source,
      line: chunk.layout === 'ndjson' ? record : null,
      record,
      byte_offset: null,
      column: null,
      error_type: 'SCHEMA DRIFT',
      reason,
      raw: String(row.raw),
    };
  });
  const rejectsPath = join(io.workDir, 'rejects.parquet');
  await writeRejectsParquet(connection, records, join(io.workDir, 'rejects.ndjson'), rejectsPath);
  await uploadFile(io.s3, rejectsPath, io.stagingBucket, rejectsKey(io.run.runId, io.nodeId, chunk.index));
  return records.length;
}

export async function extractJson(
  config: S3JsonConfig,
  descriptor: ChunkDescriptor,
  io: ConnectorIo & { readonly connection: DuckDBConnection; readonly outputPath: string },
): Promise<ExtractResult> {
  const chunk = parseChunkDescriptor(JsonChunkSchema, descriptor, 'JSON');
  const plan = await readPlanFile(io.s3, io.stagingBucket, io.run.runId, io.nodeId, io.workDir);
  const settings = JsonPlanSettingsSchema.parse(plan.settings);
  const path = join(io.workDir, 'chunk.json');
  await downloadToFile(io.s3, config.bucket, chunk.key, path, {
    range: { start: chunk.start, end: chunk.end },
  });
  const source = formatS3Uri(config.bucket, chunk.key);
  const where =
    chunk.layout === 'array'
      ? source
      : `${source} lines ${chunk.firstRecord}-${chunk.firstRecord + chunk.records - 1}`;

  let drift = settings.quarantined?.[chunk.key];
  if (drift === undefined) {
    const declared = new Set(Object.keys(config.columns ?? {}));
    // One connection runs one query at a time: the two checks go in turn.
    const added = await asDataErrors(where, () =>
      unknownFields(io.connection, path, chunk.layout, plan.columns),
    );
    const changed = await asDataErrors(where, () =>
      valuesChangedByType(io.connection, path, chunk.layout, plan.columns, declared),
    );
    const unit = chunk.layout === 'ndjson' ? 'line' : 'record';
    drift = describeFieldDrift(added, changed, (n) => `${unit} ${chunk.firstRecord + n - 1}`);
    if (drift !== undefined && config.schema_drift !== 'quarantine') {
      throw new DataError(`schema drift in ${where}: ${drift}`);
    }
  }
  if (drift !== undefined) {
    await writeParquet(
      io.connection,
      `SELECT ${selectColumns(plan.columns)} FROM ${readJsonRelation(path, chunk.layout, plan.columns)} LIMIT 0`,
      io.outputPath,
    );
    const rowsRejected = await quarantineChunk(
      io.connection,
      chunk,
      path,
      source,
      `schema drift: ${drift}`,
      io,
    );
    return { rowsIn: chunk.records >= 0 ? chunk.records : rowsRejected, rowsOut: 0, rowsRejected };
  }

  const query = `SELECT ${selectColumns(plan.columns)} FROM ${readJsonRelation(path, chunk.layout, plan.columns)}`;
  const rowsOut = await asDataErrors(where, () => writeParquet(io.connection, query, io.outputPath));
  // An array's record count is only known once parsed; every element became a row or the parse failed.
  return { rowsIn: chunk.records >= 0 ? chunk.records : rowsOut, rowsOut, rowsRejected: 0 };
}
