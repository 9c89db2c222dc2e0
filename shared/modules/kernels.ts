/**
 * What a module implements for the data plane. Handlers (shared/lambda/)
 * do the plumbing (events, S3, counters); kernels only do the data work.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ChunkDescriptor } from '../chunks/ref.ts';
import type { ParameterValues } from '../duckdb/engine.ts';
import type { RunContext } from '../lambda/events.ts';

export interface ColumnInfo {
  readonly name: string;
  /** DuckDB type name, e.g. `VARCHAR`, `BIGINT`, `TIMESTAMP WITH TIME ZONE`. */
  readonly type: string;
}

export interface TransformContext<TConfig> {
  readonly config: TConfig;
  /** Has a view named `input` over the chunk, and the pipeline parameters as variables. */
  readonly connection: DuckDBConnection;
  readonly inputColumns: readonly ColumnInfo[];
}

/** What a transform that quarantines rows or reports on data quality returns instead of a bare SELECT. */
export interface TransformPlan {
  /** The SELECT over `input` producing the chunk's output rows. */
  readonly query: string;
  /**
   * A SELECT over `input` producing one row per rejected input row, with the
   * columns `record` (1-based row in the chunk), `column`, `error_type`,
   * `reason` and `raw`. Written to the chunk's rejects file and counted as rejected.
   */
  readonly rejects?: string;
  /** A JSON document stored beside the chunk at `runs/<runId>/<nodeId>/quality/part-<n>.json`. */
  readonly quality?: unknown;
  /**
   * For transforms that may output more rows than they read (unpivot, flatten):
   * one SELECT over `input` returning `n`, the input rows that give no output
   * row, counted as filtered. Without it, filtered = in - out - rejected.
   */
  readonly droppedRows?: string;
}

/**
 * A chunk-local transform: returns one DuckDB `SELECT` over the relation
 * `input`. Rows it drops by design are counted as filtered.
 */
export type TransformKernel<TConfig> = (context: TransformContext<TConfig>) => Promise<string>;

/**
 * A chunk-local transform that may quarantine rows or report on quality.
 * Rows neither output nor rejected are counted as filtered.
 */
export type TransformPlanKernel<TConfig> = (context: TransformContext<TConfig>) => Promise<TransformPlan>;

/** Everything a connector needs to reach S3, the run's staging area and scratch space. */
export interface ConnectorIo {
  readonly s3: S3Client;
  /** A private folder for this invocation, deleted afterwards. */
  readonly workDir: string;
  readonly parameters: ParameterValues;
  readonly run: RunContext;
  readonly nodeId: string;
  readonly stagingBucket: string;
}

export interface ExtractResult {
  /** Records read from the source for this chunk. */
  readonly rowsIn: number;
  /** Rows written to the chunk's Parquet file. */
  readonly rowsOut: number;
  /** Records quarantined to the chunk's rejects file (`rejectsKey`), each with its position and reason. */
  readonly rowsRejected: number;
}

export interface ExtractorKernel<TConfig> {
  /**
   * Lists the source and cuts it into chunks of at most about `chunkSizeBytes`.
   * `workers` (the stage's `max_concurrency`) lets a byte-range planner even
   * its chunks out so the last wave of workers is full (chunks/chunk-sizing.ts).
   */
  plan(
    config: TConfig,
    io: ConnectorIo,
    chunkSizeBytes: number,
    workers?: number,
  ): Promise<ChunkDescriptor[]>;
  /** Reads one chunk and writes it as Parquet (zstd) to `outputPath`. */
  extract(
    config: TConfig,
    chunk: ChunkDescriptor,
    io: ConnectorIo & { readonly connection: DuckDBConnection; readonly outputPath: string },
  ): Promise<ExtractResult>;
  /**
   * Optional: reads one planned chunk into the new table `outputTable` of
   * `connection` instead. A fused chain uses it, so the rows skip the Parquet
   * file write and read-back (bench/README.md, "Data plane").
   */
  extractToTable?(
    config: TConfig,
    chunk: ChunkDescriptor,
    io: ConnectorIo & { readonly connection: DuckDBConnection; readonly outputTable: string },
  ): Promise<ExtractResult>;
}

export interface StagedLoad {
  readonly rows: number;
  readonly files: number;
  readonly bytes: number;
}

export interface CommitResult {
  readonly files: number;
  readonly rows: number;
  /** Where the data now is, e.g. `s3://bucket/prefix/`. */
  readonly destination: string;
}

export interface LoaderKernel<TConfig> {
  /**
   * Writes one chunk (a view named `input`) to the staging area under
   * `stagingPrefix`. Nothing is visible at the destination yet.
   */
  stage(
    config: TConfig,
    io: ConnectorIo & { readonly connection: DuckDBConnection; readonly stagingPrefix: string },
  ): Promise<StagedLoad>;
  /** Publishes everything staged for the run, once, idempotently (Finalize may be retried). */
  commit(config: TConfig, io: ConnectorIo & { readonly stagingPrefix: string }): Promise<CommitResult>;
}

export interface BarrierContext<TConfig> {
  readonly config: TConfig;
  /**
   * Has one view per input, `input_0`, `input_1`, ... (`input` is `input_0`),
   * holding every row of this bucket plus `_etl_chunk` and `_etl_row`, the
   * row's place in its input, for stable "first" and input-ordered output.
   */
  readonly connection: DuckDBConnection;
  readonly inputColumns: readonly (readonly ColumnInfo[])[];
}

/** What a barrier that quarantines rows or reports on data quality returns from `reduce`. */
export interface BarrierPlan {
  /** The SELECT over the `input_<i>` views producing the bucket's output rows. */
  readonly query: string;
  /**
   * As `TransformPlan.rejects`, plus `_etl_chunk`: a bucket mixes chunks, so
   * each reject names the upstream chunk it came from, and `record` is its
   * `_etl_row` there. Counted as rejected.
   */
  readonly rejects?: string;
  /** Stored as `TransformPlan.quality`, one report per bucket. */
  readonly quality?: unknown;
}

/**
 * A barrier: needs rows from every chunk at once (global dedup, aggregate,
 * sort, union). Rows are shuffled into buckets by `partitionKey`, then
 * `reduce` runs once per bucket.
 */
export interface BarrierKernel<TConfig> {
  /**
   * A SQL expression over an input's columns whose hash picks the row's
   * bucket; rows with equal keys meet in one bucket. `undefined` sends every
   * row to bucket 0 (a global sort, an aggregate without groups).
   */
  partitionKey(config: TConfig, input: number, columns: readonly ColumnInfo[]): string | undefined;
  /**
   * One SELECT over the `input_<i>` views producing the bucket's output
   * rows, or a plan that also quarantines rows or reports on data quality
   * (validate with a `unique` rule).
   */
  reduce(context: BarrierContext<TConfig>): Promise<string | BarrierPlan>;
  /**
   * For a barrier whose output is not a subset of its input (a join may
   * multiply rows): one SELECT returning `n`, the input rows it drops by
   * design, counted as filtered. Without it, filtered = in - out.
   */
  droppedRows?(context: BarrierContext<TConfig>): Promise<string>;
}
