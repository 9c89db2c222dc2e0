/**
 * Runs an extractor kernel over one planned chunk, or over each part of a
 * group of small ones (see shared/chunks/group-chunks.ts), into local Parquet
 * files. Every record read must be written or quarantined.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { groupParts } from '../chunks/group-chunks.ts';
import type { ChunkDescriptor } from '../chunks/ref.ts';
import { withDuckDb } from '../duckdb/engine.ts';
import { writeParquet } from '../duckdb/parquet.ts';
import { sqlString } from '../duckdb/sql.ts';
import { DataError } from '../errors.ts';
import type { ExtractorKernel, ExtractResult } from '../modules/kernels.ts';
import type { RowCounters } from '../store/run-types.ts';
import type { StepScope } from './chain-steps.ts';
import { connectorIo } from './chunk-io.ts';

type ExtractScope = Pick<StepScope, 'deps' | 'connection' | 'run' | 'node' | 'workDir'>;

export interface ExtractedChunk {
  readonly counters: RowCounters;
  /** The chunk's rows, in order, across one file per part. */
  readonly files: readonly string[];
}

export async function extractChunkFiles<TConfig>(
  scope: ExtractScope,
  kernel: ExtractorKernel<TConfig>,
  config: TConfig,
  chunk: ChunkDescriptor,
): Promise<ExtractedChunk> {
  const parts = groupParts(chunk);
  if (parts === undefined) {
    const outputPath = join(scope.workDir, 'output.parquet');
    return { counters: await extractPart(scope, kernel, config, chunk, outputPath), files: [outputPath] };
  }
  const counters = { rowsIn: 0, rowsOut: 0, rowsRejected: 0, rowsFiltered: 0 };
  const files: string[] = [];
  for (const [position, part] of parts.entries()) {
    // Each part in a DuckDB of its own: kernels keep per-scan state in the
    // connection (the CSV rejects table accumulates across scans).
    const workDir = join(scope.workDir, `part-${position}`);
    await mkdir(workDir, { recursive: true });
    const outputPath = join(workDir, 'output.parquet');
    const partCounters = await withDuckDb({ workDir }, (connection) =>
      extractPart({ ...scope, connection, workDir }, kernel, config, part, outputPath),
    );
    counters.rowsIn += partCounters.rowsIn;
    counters.rowsOut += partCounters.rowsOut;
    counters.rowsRejected += partCounters.rowsRejected;
    files.push(outputPath);
  }
  return { counters, files };
}

/** A relation reading the files in order (parts project onto the plan's columns, so names line up). */
export function extractedRelation(files: readonly string[]): string {
  return `read_parquet([${files.map(sqlString).join(', ')}], union_by_name = true)`;
}

/** One file holding the chunk: the only part's own, or the parts written together. */
export async function singleFile(scope: ExtractScope, files: readonly string[]): Promise<string> {
  const [only] = files;
  if (only !== undefined && files.length === 1) return only;
  const path = join(scope.workDir, 'output.parquet');
  await writeParquet(scope.connection, `SELECT * FROM ${extractedRelation(files)}`, path);
  return path;
}

/**
 * A plain planned chunk read straight into `table` of the chain's connection,
 * when the kernel can; undefined (nothing done) for a group or a kernel
 * without `extractToTable`.
 */
export async function extractChunkTable<TConfig>(
  scope: ExtractScope,
  kernel: ExtractorKernel<TConfig>,
  config: TConfig,
  chunk: ChunkDescriptor,
  table: string,
): Promise<RowCounters | undefined> {
  if (kernel.extractToTable === undefined || groupParts(chunk) !== undefined) return undefined;
  const { deps, connection, run, node, workDir } = scope;
  const result = await kernel.extractToTable(config, chunk, {
    ...connectorIo(deps, run, node),
    workDir,
    connection,
    outputTable: table,
  });
  return checkedCounters(chunk, result);
}

async function extractPart<TConfig>(
  scope: ExtractScope,
  kernel: ExtractorKernel<TConfig>,
  config: TConfig,
  chunk: ChunkDescriptor,
  outputPath: string,
): Promise<RowCounters> {
  const { deps, connection, run, node, workDir } = scope;
  const result = await kernel.extract(config, chunk, {
    ...connectorIo(deps, run, node),
    workDir,
    connection,
    outputPath,
  });
  return checkedCounters(chunk, result);
}

function checkedCounters(chunk: ChunkDescriptor, result: ExtractResult): RowCounters {
  const { rowsIn, rowsOut, rowsRejected } = result;
  if (rowsIn !== rowsOut + rowsRejected) {
    // Every record read must be written or quarantined: anything else would lose data silently.
    throw new DataError(
      `chunk ${chunk.index}: read ${rowsIn} records but wrote ${rowsOut} and rejected ${rowsRejected}`,
    );
  }
  return { rowsIn, rowsOut, rowsRejected, rowsFiltered: 0 };
}
