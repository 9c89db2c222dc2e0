/**
 * Plans a SQL read: a sample gives the columns and bytes per row, one
 * aggregate gives the new watermark, the partition key's span and the row
 * count; the span is cut into as many key ranges as the chunk size asks for.
 * An incremental plan records the watermark its run will reach as pending;
 * Finalize saves it only if the run succeeds.
 */
import { z } from 'zod';
import { ChunkDescriptorSchema } from '../../../shared/chunks/ref.ts';
import { INTEGER_TYPES } from '../../../shared/duckdb/types.ts';
import { ConfigError } from '../../../shared/errors.ts';
import type { ConnectorIo } from '../../../shared/modules/kernels.ts';
import {
  type Watermark,
  type WatermarkStore,
  watermarkStoreFromEnv,
} from '../../../shared/store/watermark-store.ts';
import type { SqlExtractConfig } from './extract-config.ts';
import { type CursorWindow, type ExtractQueryContext, sampleQuery, statsQuery } from './extract-query.ts';
import { integerRanges, parseIntegerBound } from './ranges.ts';
import type { RowValue, SourceColumn, SqlDialect, SqlSession } from './session.ts';

export const SqlChunkSchema = ChunkDescriptorSchema.extend({
  window: z.strictObject({ low: z.string().nullable(), high: z.string(), type: z.string() }).optional(),
  range: z
    .strictObject({ from: z.string(), to: z.string(), last: z.boolean(), nulls: z.boolean() })
    .optional(),
});
export type SqlChunk = z.output<typeof SqlChunkSchema>;

/** Rows read to learn the columns and estimate bytes per row. */
const SAMPLE_ROWS = 200;
interface Sample {
  readonly columns: readonly SourceColumn[];
  readonly bytesPerRow: number;
}

function valueBytes(value: RowValue): number {
  if (value === null) return 1;
  return typeof value === 'string' ? Buffer.byteLength(value) + 1 : value.length + 1;
}

async function readSample(session: SqlSession, context: ExtractQueryContext): Promise<Sample> {
  const query = sampleQuery(context, undefined, SAMPLE_ROWS);
  let columns: readonly SourceColumn[] | undefined;
  let rows = 0;
  let bytes = 0;
  // Read to the end (a batch larger than the LIMIT), so the result is never left half-read.
  for await (const batch of session.stream(query.text, query.params, SAMPLE_ROWS + 1)) {
    columns ??= batch.columns;
    rows += batch.rows.length;
    bytes += batch.rows.reduce(
      (sum, row) => sum + row.reduce((rowSum, value) => rowSum + valueBytes(value), 0),
      0,
    );
  }
  if (columns === undefined) throw new ConfigError('the query returned no result set');
  return { columns, bytesPerRow: rows > 0 ? bytes / rows : 0 };
}

function columnOf(sample: Sample, name: string, role: string): SourceColumn {
  const column = sample.columns.find((candidate) => candidate.name === name);
  if (column === undefined) {
    throw new ConfigError(
      `${role} ${name} is not a column of the query's result (columns: ${sample.columns.map((c) => c.name).join(', ')})`,
    );
  }
  return column;
}

function lowBound(config: SqlExtractConfig, saved: Watermark | undefined): string | null {
  if (saved !== undefined) return saved.value;
  return config.initial_watermark === undefined ? null : String(config.initial_watermark);
}

function checkPartitionColumn(config: SqlExtractConfig, sample: Sample): void {
  const partition = config.partition_column;
  if (partition === undefined) return;
  const { type } = columnOf(sample, partition, 'partition_column');
  if (!INTEGER_TYPES.has(type)) {
    throw new ConfigError(`partition_column ${partition} must be an integer column, not ${type}`);
  }
}

/** The incremental window's lower bound: the saved watermark, else `initial_watermark`. */
async function cursorWindow(
  config: SqlExtractConfig,
  io: ConnectorIo,
  sample: Sample,
  watermarks: WatermarkStore,
): Promise<CursorWindow | undefined> {
  const cursor = config.cursor_column;
  if (config.mode !== 'incremental' || cursor === undefined) return undefined;
  const saved = await watermarks.get(io.run.pipelineId, io.nodeId);
  if (saved !== undefined && saved.column !== cursor) {
    throw new ConfigError(
      `the saved watermark of node ${io.nodeId} is for column ${saved.column}, not ${cursor}: reset it with \`etl state reset ${io.run.pipelineId} ${io.nodeId}\``,
    );
  }
  return { low: lowBound(config, saved), type: columnOf(sample, cursor, 'cursor_column').type };
}

interface SourceStats {
  /** The new watermark; null when no row is above the old one. */
  readonly high?: string | null;
  readonly min?: string | null;
  readonly max?: string | null;
  readonly count: number;
}

async function readStats(
  session: SqlSession,
  context: ExtractQueryContext,
  window: CursorWindow | undefined,
): Promise<SourceStats> {
  const query = statsQuery(context, window);
  const [row = []] = (await session.query(query.text, query.params)).rows;
  // In the order statsQuery selects them.
  const values = row.map((value) => (value === null ? null : String(value)));
  const high = window !== undefined ? { high: values.shift() ?? null } : {};
  const span =
    context.config.partition_column !== undefined ? { min: values.shift(), max: values.shift() } : {};
  return { ...high, ...span, count: Number(values.shift() ?? 0) };
}

export interface PlanDependencies {
  readonly watermarks: WatermarkStore;
}

export async function planSqlExtract(
  dialect: SqlDialect,
  config: SqlExtractConfig,
  io: ConnectorIo,
  chunkSizeBytes: number,
  deps: PlanDependencies = { watermarks: watermarkStoreFromEnv() },
): Promise<SqlChunk[]> {
  const session = await dialect.open(config.connection);
  try {
    const context: ExtractQueryContext = {
      dialect,
      config,
      parameters: io.parameters,
      defaultSchema: session.defaultSchema,
    };
    const sample = await readSample(session, context);
    checkPartitionColumn(config, sample);
    const window = await cursorWindow(config, io, sample, deps.watermarks);
    const stats = await readStats(session, context, window);
    if (stats.count === 0 || stats.high === null) return [];

    const chunkWindow =
      window && stats.high != null ? { low: window.low, high: stats.high, type: window.type } : undefined;
    if (chunkWindow !== undefined && config.cursor_column !== undefined) {
      await deps.watermarks.stage({
        pipelineId: io.run.pipelineId,
        nodeId: io.nodeId,
        column: config.cursor_column,
        type: chunkWindow.type,
        value: chunkWindow.high,
        runId: io.run.runId,
        updatedAt: new Date().toISOString(),
      });
    }
    const parts = Math.max(1, Math.ceil((stats.count * sample.bytesPerRow) / chunkSizeBytes));
    const partition = config.partition_column;
    const ranges =
      partition !== undefined && stats.min != null && stats.max != null
        ? integerRanges(
            parseIntegerBound(stats.min, partition),
            parseIntegerBound(stats.max, partition),
            parts,
          )
        : [undefined];
    return ranges.map((range, index) => ({
      index,
      ...(chunkWindow ? { window: chunkWindow } : {}),
      ...(range ? { range } : {}),
    }));
  } finally {
    await session.close();
  }
}
